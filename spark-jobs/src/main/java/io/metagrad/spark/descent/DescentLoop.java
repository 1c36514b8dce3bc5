package io.metagrad.spark.descent;

import com.google.gson.JsonObject;
import io.metagrad.spark.io.Json;
import io.metagrad.spark.io.OutputGuard;
import io.metagrad.spark.io.TableManifest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Runs (or resumes) metagradient descent on a {@link DescentObjective}, checkpointing every step in
 * a {@link DescentDirectory}. Step 0 evaluates the start {@code z_0}; step {@code s ≥ 1} moves from
 * {@code z_{s-1}} along its metagradient ({@link DescentSettings}), projects, and evaluates there.
 * The iterate with the best objective (earliest on ties) is the run's result. Rerunning with the same
 * directory resumes after the last complete step and ends bitwise equal to an uninterrupted run:
 * the objective is deterministic, and each step reads only the stored bits of the step before.
 */
public final class DescentLoop {

    /**
     * What a job's descent run is.
     *
     * @param job the job's name, e.g. {@code poison}
     * @param settings the steps and the step rule
     * @param resumeParams everything (besides the settings) that the iterates depend on
     * @param inputs fingerprints of the input tables
     * @param manifest the run's {@code _metagrad.json}
     * @param keepAllIterates keep every step's iterate (small {@code z}) or only the last and the best (large {@code z})
     */
    public record Spec(String job, DescentSettings settings, Map<String, String> resumeParams, Map<String, String> inputs,
            TableManifest manifest, boolean keepAllIterates) {}

    /**
     * What a run did.
     *
     * @param completedStep last completed step
     * @param finished whether all S steps are done
     * @param bestStep the best iterate so far
     * @param bestZ that iterate
     * @param metrics one line per completed step, step 0 first
     */
    public record Result(String output, int completedStep, boolean finished, int bestStep, double bestValue, double[] bestZ,
            List<JsonObject> metrics, int plannedSteps) {}

    private DescentLoop() {}

    /**
     * Opens {@code dir} for a run of {@code spec}: a fresh directory, a resumable run of the same job
     * with the same parameters and inputs, or a refusal naming what differs. Call after the inputs
     * are known to be good, before any work.
     */
    public static void requireResumable(DescentDirectory dir, Spec spec) {
        String hint = "; pass --overwrite to start over or choose another --output";
        switch (dir.kind()) {
            case ABSENT, EMPTY_DIRECTORY -> {
                return;
            }
            case FILE -> throw new IllegalArgumentException("output " + dir.path() + " is a file; choose a directory path");
            case FOREIGN -> throw new IllegalArgumentException("output " + dir.path() + " exists and holds no " + spec.job()
                    + " run (" + dir.describeContent() + "; no " + TableManifest.FILE_NAME + "); metagrad never deletes what it"
                    + " did not create, even with --overwrite: choose another --output or remove it yourself");
            case OURS -> {
                String job = dir.manifestJob().orElse("?");
                if (!spec.job().equals(job)) {
                    throw new IllegalArgumentException("output " + dir.path() + " holds a " + job + " output, not a " + spec.job()
                            + " run" + hint);
                }
            }
        }
        DescentState state = dir.readState().orElse(null);
        if (state == null) {
            if (!dir.onlyHoldsDescentFiles()) {
                throw new IllegalArgumentException("output " + dir.path() + " holds a finished " + spec.job() + " output that is"
                        + " no MGD run (" + dir.describeContent() + ")" + hint);
            }
            return; // a run killed before its first checkpoint: it starts over
        }
        if (!spec.job().equals(state.job())) {
            throw new IllegalArgumentException("output " + dir.path() + " holds a " + state.job() + " run, not " + spec.job() + hint);
        }
        Map<String, String> wanted = resumeParams(spec);
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            String old = state.resumeParams() == null ? null : state.resumeParams().get(e.getKey());
            if (!Objects.equals(old, e.getValue())) {
                throw new IllegalArgumentException("output " + dir.path() + " holds a " + spec.job() + " run made with "
                        + e.getKey() + " = " + old + ", not " + e.getValue() + hint);
            }
        }
        for (Map.Entry<String, String> e : spec.inputs().entrySet()) {
            if (state.inputs() == null || !e.getValue().equals(state.inputs().get(e.getKey()))) {
                throw new IllegalArgumentException("output " + dir.path() + " holds a " + spec.job() + " run made from another "
                        + e.getKey() + " table (its rows' SHA-256 differs)" + hint);
            }
        }
        if (state.completedStep() > spec.settings().steps()) {
            throw new IllegalArgumentException("output " + dir.path() + " already has " + state.completedStep()
                    + " MGD steps; --mgd-steps " + spec.settings().steps() + " would discard some" + hint);
        }
    }

    /**
     * Runs the steps not yet done, up to {@code --stop-after} or S. {@code start} is {@code z_0} (used
     * only when the directory holds no run yet); {@code progress} receives one line per step.
     */
    public static Result run(DescentDirectory dir, DescentObjective objective, double[] start, Spec spec,
            Consumer<String> progress) {
        requireResumable(dir, spec);
        DescentSettings settings = spec.settings();
        DescentState state = dir.readState().orElse(null);
        double[] z;
        double[] g;
        List<JsonObject> metrics;
        long invocationStart = System.nanoTime();
        int stepsThisInvocation = 0;
        if (state == null) {
            // The manifest first: from now on the directory is this run's, and a kill before step 0's checkpoint starts over.
            boolean created = dir.kind() == OutputGuard.Kind.ABSENT;
            dir.clearUnfinishedStart();
            dir.writeManifest(spec.manifest());
            try {
                long t0 = System.nanoTime();
                z = start.clone();
                objective.project(z);
                Point p = evaluate(objective, z, 0, spec);
                g = p.gradient();
                metrics = new ArrayList<>(List.of(line(0, p, 0, p.value(), Double.NaN, null, t0)));
                dir.writeIterate(0, z, g);
                state = state(spec, 0, 0, p.value());
                checkpoint(dir, metrics, state, spec);
            } catch (Exception e) { // also SparkException, a checked exception Scala throws unchecked
                dir.removeUnfinishedStart(created); // a run that fails before its first checkpoint leaves nothing
                throw e;
            }
            stepsThisInvocation++;
            progress.accept(describe(spec.job(), objective, metrics.get(0), settings.steps(), Double.NaN));
        } else {
            dir.writeManifest(spec.manifest());
            z = dir.readIterate(state.completedStep(), "z");
            g = dir.readIterate(state.completedStep(), "gradient");
            metrics = new ArrayList<>(dir.readMetrics(state.completedStep()));
            progress.accept(spec.job() + ": resuming " + dir.path() + " after step " + state.completedStep() + " of "
                    + settings.steps());
        }
        int last = settings.lastStepThisRun();
        double sign = objective.maximizes() ? 1 : -1;
        for (int s = state.completedStep() + 1; s <= last; s++) {
            long t0 = System.nanoTime();
            double eta = settings.stepSize(s);
            double[] d = settings.rule().direction(g);
            double[] next = new double[z.length];
            for (int i = 0; i < z.length; i++) {
                next[i] = z[i] + sign * eta * d[i];
            }
            objective.project(next);
            Point p = evaluate(objective, next, s, spec);
            boolean better = objective.maximizes() ? p.value() > state.bestValue() : p.value() < state.bestValue();
            int best = better ? s : state.bestStep();
            double bestValue = better ? p.value() : state.bestValue();
            metrics.add(line(s, p, best, bestValue, eta, rms(z, next), t0));
            dir.writeIterate(s, next, p.gradient());
            state = state(spec, s, best, bestValue);
            checkpoint(dir, metrics, state, spec);
            if (!spec.keepAllIterates()) {
                dir.pruneIterates(new java.util.HashSet<>(List.of(s, best)));
            }
            z = next;
            g = p.gradient();
            stepsThisInvocation++;
            double perStep = (System.nanoTime() - invocationStart) / 1e9 / stepsThisInvocation;
            progress.accept(describe(spec.job(), objective, metrics.get(s), settings.steps(), perStep * (last - s)));
        }
        return new Result(dir.path(), state.completedStep(), state.completedStep() == settings.steps(), state.bestStep(),
                state.bestValue(), dir.readIterate(state.bestStep(), "z"), List.copyOf(metrics), settings.steps());
    }

    private static Point evaluate(DescentObjective objective, double[] z, int step, Spec spec) {
        Point p = objective.at(z, step);
        String problem = p.nonFinite();
        if (problem != null) {
            throw new IllegalStateException(spec.job() + " step " + step + ": " + problem
                    + "; training diverged or the metagradient overflowed — lower " + objective.knobs());
        }
        return p;
    }

    private static Map<String, String> resumeParams(Spec spec) {
        Map<String, String> m = new LinkedHashMap<>(spec.resumeParams());
        spec.settings().resumeParams().forEach((k, v) -> m.put("descent." + k, v));
        return m;
    }

    private static DescentState state(Spec spec, int completed, int best, double bestValue) {
        return new DescentState(DescentState.SCHEMA, spec.job(), completed, spec.settings().steps(), best, bestValue,
                resumeParams(spec), spec.inputs());
    }

    /** Iterate first (already written), metrics next, state last: a step counts as done only once state.json names it. */
    private static void checkpoint(DescentDirectory dir, List<JsonObject> metrics, DescentState state, Spec spec) {
        dir.writeMetrics(metrics);
        dir.writeState(state);
    }

    private static JsonObject line(int step, Point p, int best, double bestValue, double eta, Double change, long t0) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", step);
        m.put("value", p.value());
        m.put("best_step", best);
        m.put("best_value", bestValue);
        m.put("step_size", Double.isNaN(eta) ? null : eta);
        m.put("change_rms", change);
        m.put("gradient_rms", rms(p.gradient()));
        m.put("metrics", p.metrics());
        m.put("eval_seconds", p.seconds());
        m.put("seconds", (System.nanoTime() - t0) / 1e9);
        m.put("finished_utc", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        return Json.tree(m).getAsJsonObject();
    }

    private static double rms(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s / Math.max(1, v.length));
    }

    private static double rms(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s / Math.max(1, a.length));
    }

    /** The progress line of a step: its objective, the best so far, the job's metrics, time and ETA. */
    static String describe(String job, DescentObjective objective, JsonObject m, int steps, double etaSeconds) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s step %d/%d: %s %.5f", job, m.get("step").getAsInt(),
                steps, objective.valueName(), m.get("value").getAsDouble()));
        int best = m.get("best_step").getAsInt();
        b.append(best == m.get("step").getAsInt() ? " *best*" : " (best: step " + best + ")");
        for (Map.Entry<String, com.google.gson.JsonElement> e : m.getAsJsonObject("metrics").entrySet()) {
            b.append(String.format(Locale.ROOT, ", %s %.4f", e.getKey().replace('_', ' '), e.getValue().getAsDouble()));
        }
        b.append(String.format(Locale.ROOT, ", %.1f s", m.get("seconds").getAsDouble()));
        if (Double.isFinite(etaSeconds)) {
            b.append(String.format(Locale.ROOT, ", ETA %dm%02ds", (long) etaSeconds / 60, (long) etaSeconds % 60));
        }
        return b.toString();
    }

    /** The metrics line without the fields that vary from run to run (times, clock), for comparisons. */
    public static JsonObject withoutTimes(JsonObject m) {
        JsonObject c = m.deepCopy();
        c.remove("eval_seconds");
        c.remove("seconds");
        c.remove("finished_utc");
        return c;
    }
}
