package io.metagrad.spark.select;

import static org.apache.spark.sql.functions.col;

import io.metagrad.spark.JobMain;
import io.metagrad.spark.io.FeatureTables;
import io.metagrad.spark.io.AtomicOutput;
import io.metagrad.spark.report.RunReport;
import io.metagrad.spark.io.Inputs;
import io.metagrad.spark.io.OutputGuard;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.io.ZeroShotPrompts;
import io.metagrad.spark.stream.GradientParts;
import io.metagrad.spark.stream.IndexedPool;
import io.metagrad.spark.stream.Layout;
import io.metagrad.spark.stream.LayoutWriter;
import io.metagrad.spark.train.FeatureRows;
import io.metagrad.spark.train.RunSpec;
import io.metagrad.spark.train.TableChecks;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MGD data selection (method.md §4) on Spark, at any pool size. The pool is checked and indexed by
 * Spark ({@link IndexedPool}) and laid out once in training order ({@link LayoutWriter}); each MGD
 * step runs one stage whose tasks stream their batches from the layout and write every trained
 * item's metagradient as Parquet parts, then Spark combines the replicas and steps the counts
 * ({@link StepUpdate}), the new counts are scored on the held-out part of the target set (a second,
 * training-only stage) and the step is checkpointed before the next begins. The driver holds a few
 * numbers per step; the tasks hold the model, its REPLAY states, the small target parts, the counts
 * (4 bytes an item) and a few batches. Rerunning with the same output directory resumes after the
 * last completed step and ends bitwise equal to an uninterrupted run. When all steps are done it
 * writes the selection: the iterate with the lowest held-out loss.
 *
 * <p>{@code spark-submit --class io.metagrad.spark.select.SelectJob spark-jobs-*.jar --pool … --target … --output …}
 */
public final class SelectJob {

    private static final Logger LOG = LoggerFactory.getLogger(SelectJob.class);
    private static final String STAGE = "select";
    /** Schema of a select run directory's own {@code _metagrad.json}. */
    static final String RUN_SCHEMA = "mgd_run/v1";

    private SelectJob() {}

    /**
     * What a run did.
     *
     * @param output the run directory
     * @param completedStep last completed MGD step
     * @param finished whether all S steps are done (then {@code selection/} is written)
     * @param bestStep the iterate with the lowest held-out loss so far
     * @param metrics one entry per completed step, step 0 first
     * @param selected rows of the selection (0 when not finished)
     * @param poolSize pool rows
     * @param costs what this run (not the runs it resumed) spent where
     */
    public record Result(String output, int completedStep, boolean finished, int bestStep, List<StepMetrics> metrics,
            long selected, long poolSize, Costs costs) {

        /** Path of the selection table. */
        public String selectionPath() {
            return new Path(output, RunDirectory.SELECTION).toString();
        }
    }

    /**
     * Where a run's time and reads went: checking and indexing the pool, laying training sets out
     * (seconds and bytes written), and the layout bytes its replica tasks read.
     */
    public record Costs(double indexSeconds, double layoutSeconds, long layoutBytes, long layoutBytesRead) {}

    /** Runs (or resumes) selection, logging one line per step. */
    public static Result run(SparkSession spark, SelectParams params) {
        return run(spark, params, null);
    }

    /** Runs (or resumes) selection, handing each completed step's metrics to {@code progress} (null: log them). */
    public static Result run(SparkSession spark, SelectParams params, Consumer<StepMetrics> progress) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Inputs.requireTable(params.pool(), "select.pool", hadoop);
        Inputs.requireTable(params.target(), "select.target", hadoop);
        if (params.heldout() != null) {
            Inputs.requireTable(params.heldout(), "select.heldout", hadoop);
        }
        if (params.initialCounts() != null) {
            Inputs.requireTable(params.initialCounts(), "select.initialCounts", hadoop);
        }
        OutputGuard.requireApart("select", Map.of("--output", params.output()), inputOptions(params), hadoop);
        long indexStart = System.nanoTime();
        try (IndexedPool pool = IndexedPool.of(spark, params.pool())) {
            double indexSeconds = (System.nanoTime() - indexStart) / 1e9;
            SelectionData data = load(spark, params, pool);
            InitialCounts initial = InitialCounts.of(spark, params, pool); // checked before anything is written
            RunSpec spec = new RunSpec(params.training(), params.knobs(), pool.width(), data.outputDim());
            DevicePlacement placement = DevicePlacement.of(spark);
            RunDirectory target = RunDirectory.at(params.output(), hadoop);
            AtomicOutput.recover(params.output(), hadoop); // an interrupted --overwrite commit, staging of killed runs
            // --overwrite builds the new run beside the old one and swaps it in when this run ends: a kill keeps the old.
            AtomicOutput replacing = params.overwrite() && target.kind() == OutputGuard.Kind.OURS
                    ? AtomicOutput.to(params.output(), hadoop, true) : null;
            RunDirectory dir = replacing == null ? target : RunDirectory.at(replacing.stagingPath(), hadoop);
            Map<String, String> inputs = new TreeMap<>(Map.of(
                    "pool", pool.fingerprint(), "target", data.target().fingerprint(), "heldout", data.heldout().fingerprint()));
            data.promptsFingerprint().ifPresent(f -> inputs.put("prompts", f));
            if (initial.fromTable()) {
                inputs.put("initial_counts", initial.fingerprint());
            }
            boolean created = dir.kind() == OutputGuard.Kind.ABSENT;
            RunState state = replacing == null ? startOrResume(dir) : null;
            int planned = params.plannedSteps(pool.size(), initial.kept());
            warnIfItemsGoUnexamined(spec, pool.size());
            if (state != null) {
                requireResumable(state, params, planned, inputs, dir);
            }
            TableManifest manifest = TableManifest.of(STAGE, RUN_SCHEMA).params(params.describe())
                    .inputs(inputInputs(params)).put("device", placement.describe()).put("input_sha256", inputs)
                    .put("objective", data.objective().name()).put("output_dim", data.outputDim())
                    .put("initial_counts", initial.describe());
            try (ReplicaStage stage = new ReplicaStage(spark, data, spec, params.replicas(), params.replayK(), placement)) {
                Loop loop = new Loop(spark, params, spec, planned, pool, initial, data, dir, stage, placement, inputs,
                        progress != null ? progress : m -> LOG.info(describe(m, planned)), indexSeconds);
                Result r = loop.run(state, manifest);
                if (replacing == null) {
                    return r;
                }
                replacing.commit();
                return new Result(target.path(), r.completedStep(), r.finished(), r.bestStep(), r.metrics(), r.selected(),
                        r.poolSize(), r.costs());
            } catch (Exception e) { // also SparkException, a checked exception Scala throws unchecked
                if (replacing != null) {
                    replacing.abort(); // the run being replaced stays as it was
                } else if (state == null && dir.readState().isEmpty()) {
                    dir.removeUnfinishedStart(created); // a run that failed before its first checkpoint leaves nothing
                }
                throw e;
            }
        }
    }

    /**
     * The state of the run in {@code dir} to resume, or null to start one there. Refuses a directory that is not a
     * select run; a run killed before its first checkpoint (manifest, no state) starts over.
     */
    private static RunState startOrResume(RunDirectory dir) {
        String hint = "; pass --overwrite to replace it or choose another --output";
        switch (dir.kind()) {
            case FILE -> throw new IllegalArgumentException("output " + dir.path() + " is a file; choose a directory path");
            case FOREIGN -> throw new IllegalArgumentException("output " + dir.path() + " exists and holds no select run ("
                    + dir.describeContent() + "; no " + TableManifest.FILE_NAME + "); metagrad never deletes what it did not"
                    + " create, even with --overwrite: choose another --output or remove it yourself");
            case OURS -> {
                String schema = dir.manifestSchema().orElse("?");
                if (!RUN_SCHEMA.equals(schema)) {
                    throw new IllegalArgumentException("output " + dir.path() + " holds a " + schema + " output, not a select run"
                            + hint);
                }
                RunState state = dir.readState().orElse(null);
                if (state == null) {
                    dir.clearUnfinishedStart();
                }
                return state;
            }
            default -> {
                return null;
            }
        }
    }

    private static Map<String, String> inputOptions(SelectParams params) {
        Map<String, String> in = new java.util.LinkedHashMap<>();
        in.put("--pool", params.pool());
        in.put("--target", params.target());
        in.put("--heldout", params.heldout());
        in.put("--prompts", params.prompts());
        in.put("--initial-counts", params.initialCounts());
        return in;
    }

    /** The steps, checkpoints and the final selection of one run. */
    private static final class Loop {
        private final SparkSession spark;
        private final SelectParams params;
        private final RunSpec spec;
        private final int planned;
        private final boolean prune;
        private final IndexedPool pool;
        private final InitialCounts initial;
        private final SelectionData data;
        private final RunDirectory dir;
        private final ReplicaStage stage;
        private final DevicePlacement placement;
        private final Map<String, String> inputs;
        private final Consumer<StepMetrics> progress;
        private final List<Long> seeds;
        private final double indexSeconds;
        private double layoutSeconds;
        private long layoutBytes;
        private long bytesRead;

        Loop(SparkSession spark, SelectParams params, RunSpec spec, int planned, IndexedPool pool, InitialCounts initial,
                SelectionData data,
                RunDirectory dir, ReplicaStage stage, DevicePlacement placement, Map<String, String> inputs,
                Consumer<StepMetrics> progress, double indexSeconds) {
            this.spark = spark;
            this.params = params;
            this.spec = spec;
            this.planned = planned;
            this.prune = params.update() == UpdateRule.PRUNE;
            this.pool = pool;
            this.initial = initial;
            this.data = data;
            this.dir = dir;
            this.stage = stage;
            this.placement = placement;
            this.inputs = inputs;
            this.progress = progress;
            this.indexSeconds = indexSeconds;
            this.seeds = LongStream.range(0, params.replicas()).map(r -> params.training().seed() + r).boxed().toList();
        }

        Result run(RunState resumed, TableManifest manifest) {
            List<StepMetrics> metrics;
            RunState state;
            if (resumed == null) {
                dir.writeManifest(manifest); // marks the directory as this run's before anything else is written
                long start = System.nanoTime();
                dir.writeStep(0, initial.table(), pool.size(), stepManifest(0));
                ReplicaStage.Score score = stage.score(work(0, null), "mgd step 0/" + planned + ": score initial counts");
                bytesRead += score.bytesRead();
                StepUpdate.Counts counts = new StepUpdate.Counts(initial.kept(), initial.total(), 0, 0);
                StepMetrics m0 = metrics(0, score, counts, 0, null, start);
                metrics = new ArrayList<>(List.of(m0));
                state = state(0, 0, score.heldoutLoss());
                checkpoint(metrics, state);
                progress.accept(m0);
            } else {
                dir.writeManifest(manifest);
                state = resumed;
                metrics = new ArrayList<>(dir.readMetrics(state.completedStep()));
                LOG.info("select: resuming {} after step {} of {}", dir.path(), state.completedStep(), planned);
            }
            if (params.smoothness().enabled()) {
                SmoothnessStage.report(SmoothnessStage.estimateOnce(spark, dir.path(), params.smoothness(), spec,
                        () -> work(0, null), data.labels() ? data.outputDim() : 0, params.seed()));
            }
            int last = params.lastStepThisRun(pool.size(), initial.kept());
            for (int s = state.completedStep() + 1; s <= last; s++) {
                long start = System.nanoTime();
                String what = "mgd step " + s + "/" + planned;
                String gradients = dir.gradientsPath(s);
                dir.deleteScratch(gradients); // what a killed attempt of this step left
                ReplicaStage.Metagradient g = stage.metagradient(work(s - 1, gradients), what + ": metagradients");
                bytesRead += g.bytesRead();
                Dataset<Row> joined = StepUpdate.withMetagradients(dir.readStep(spark, s - 1),
                        GradientParts.perItem(spark, gradients, params.replicas()), prune).persist(StorageLevel.DISK_ONLY());
                Dataset<Row> next = (prune
                        ? StepUpdate.prune(joined, PruneUpdate.dropAt(keptAt(metrics), keep(), params.pruneFraction(), pool.size()))
                        : StepUpdate.signed(joined, params.seed(), s, params.stepSize(), params.maskProbability()))
                        .persist(StorageLevel.DISK_ONLY());
                StepUpdate.Counts counts = StepUpdate.countFinite(next, s);
                dir.writeStep(s, next, pool.size(), stepManifest(s));
                next.unpersist();
                joined.unpersist();
                ReplicaStage.Score score = stage.score(work(s, null), what + ": score");
                bytesRead += score.bytesRead();
                // PRUNE's selection is where it reaches the budget, its last step; SIGNED keeps the best held-out iterate.
                boolean better = prune || score.heldoutLoss() < state.bestHeldoutLoss();
                int best = better ? s : state.bestStep();
                double bestLoss = better ? score.heldoutLoss() : state.bestHeldoutLoss();
                StepMetrics m = metrics(s, score, counts, best, g.seconds(), start);
                metrics.add(m);
                state = state(s, best, bestLoss);
                checkpoint(metrics, state);
                dir.deleteScratch(gradients);
                if (prune) {
                    dir.deleteScratch(dir.stepLayoutPath(s - 1));
                }
                progress.accept(m);
            }
            boolean finished = state.completedStep() == planned;
            long selected = finished ? writeSelection(state) : 0;
            if (finished) {
                RunReport.writeInto(dir.path(), params.output(), spark.sparkContext().hadoopConfiguration());
            }
            return new Result(dir.path(), state.completedStep(), finished, state.bestStep(), List.copyOf(metrics), selected,
                    pool.size(), new Costs(indexSeconds, layoutSeconds, layoutBytes, bytesRead));
        }

        private long keep() {
            return params.budget().limit(pool.size());
        }

        private static long keptAt(List<StepMetrics> metrics) {
            return metrics.get(metrics.size() - 1).kept();
        }

        /**
         * Where the replicas of a stage train with the counts of step {@code step}: the pool's layout,
         * or for PRUNE, unless every item is kept (step 0 of a run that starts with every count positive),
         * the layout of the items that step kept (written now if a crash or an earlier step did not leave it).
         */
        private ReplicaTask.Work work(int step, String gradients) {
            String countsDir = dir.countsPath(step);
            if (!prune || (step == 0 && initial.kept() == pool.size())) {
                String layoutDir = dir.layoutPath();
                Layout layout = layout(layoutDir, pool.rows(), pool.size());
                return new ReplicaTask.Work(layout, layoutDir, countsDir, pool.size(), gradients);
            }
            Dataset<Row> counts = dir.readStep(spark, step).where(col("count").gt(0)).select(col("row").as("kept_row"));
            Dataset<Row> kept = pool.rows().join(counts, pool.rows().col("row").equalTo(counts.col("kept_row")))
                    .select(IndexedPool.columns());
            String layoutDir = dir.stepLayoutPath(step);
            Layout layout = layout(layoutDir, kept, -1);
            return new ReplicaTask.Work(layout, layoutDir, countsDir, pool.size(), gradients);
        }

        /** The layout at {@code layoutDir} if one was committed there, else a new one of {@code items}. */
        private Layout layout(String layoutDir, Dataset<Row> items, long count) {
            Optional<Layout> existing = LayoutWriter.read(layoutDir, spark.sparkContext().hadoopConfiguration());
            if (existing.isPresent()) {
                Layout l = existing.get();
                if (!l.serves(pool.fingerprint(), seeds, spec.epochs(l.rows()), data.labels(), targetDim())) {
                    throw new IllegalArgumentException("the layout " + layoutDir + " was made for another pool, seeds or"
                            + " training length; pass --overwrite to start over");
                }
                return l;
            }
            long start = System.nanoTime();
            long n = count >= 0 ? count : items.count();
            Layout written = LayoutWriter.write(spark, pool, items, n, layoutDir, seeds, spec.epochs(n), targetDim());
            layoutSeconds += (System.nanoTime() - start) / 1e9;
            layoutBytes += written.bytes();
            return written;
        }

        private int targetDim() {
            return data.labels() ? 0 : pool.targetWidth();
        }

        private long writeSelection(RunState state) {
            int best = state.bestStep();
            // The metagradient at the best counts is the next step's; the last step has none, so use its own.
            int gradientStep = Math.max(1, Math.min(best + 1, planned));
            Dataset<Row> counts = dir.readStep(spark, best);
            Dataset<Row> metagrads = planned == 0 ? counts : dir.readStep(spark, gradientStep);
            Dataset<Row> rows = Selection.rank(spark, counts, metagrads, params.budget(), pool.size());
            dir.writeSelection(rows, TableManifest.of(STAGE, SelectTables.id("selection")).params(params.describe())
                    .inputs(inputInputs(params)).put("best_step", best).put("metagrad_step", gradientStep)
                    .put("pool_size", pool.size()).put("command", TableManifest.commandLine()));
            long selected = spark.read().schema(SelectTables.SELECTION).parquet(dir.selectionPath()).count();
            LOG.info("select: best iterate is step {}; selection of {} of {} items written to {}", best, selected,
                    pool.size(), dir.selectionPath());
            return selected;
        }

        private TableManifest stepManifest(int step) {
            return TableManifest.of(STAGE, SelectTables.id("mgd_step")).params(params.describe()).inputs(inputInputs(params))
                    .put("step", step);
        }

        private StepMetrics metrics(int step, ReplicaStage.Score score, StepUpdate.Counts counts, int best,
                Double metagradSeconds, long start) {
            return new StepMetrics(step, score.targetLoss(), score.heldoutLoss(),
                    data.classifies() ? score.heldoutAccuracy() : null, (int) counts.kept(), counts.total(),
                    (int) counts.changed(), (int) counts.drawn(), best, metagradSeconds, score.seconds(),
                    (System.nanoTime() - start) / 1e9, placement.gpu() ? "gpu" : "cpu",
                    Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        }

        private RunState state(int completed, int best, double bestLoss) {
            return new RunState(RunState.SCHEMA, completed, planned, best, bestLoss, params.seed(), seeds,
                    params.resumeParams(), inputs);
        }

        /** Metrics first, state last: a step counts as done only once state.json names it. */
        private void checkpoint(List<StepMetrics> metrics, RunState state) {
            dir.writeMetrics(metrics);
            dir.writeState(state);
        }
    }

    /** A run of T steps of B items sees only T·B of them: the rest get no metagradient and never move. */
    private static void warnIfItemsGoUnexamined(RunSpec spec, long poolSize) {
        var config = spec.baseConfig(poolSize);
        long seen = (long) config.steps() * config.batchSize();
        if (seen < poolSize) {
            // a pass is ⌊items / batch⌋ full batches, so one epoch leaves the remainder out; each epoch's order is new
            String fix = config.steps() >= poolSize / config.batchSize()
                    ? "use --epochs 2 or more, whose passes leave out different items, or a --batch-size that divides the pool"
                    : "raise --train-steps, or use --epochs 1 or more";
            LOG.warn("select: {} training steps of {} items see {} of the {} pool items; the other {} get no metagradient"
                    + " ({})", config.steps(), config.batchSize(), seen, poolSize, poolSize - seen, fix);
        }
    }

    private static SelectionData load(SparkSession spark, SelectParams params, IndexedPool pool) {
        FeatureRows target = FeatureRows.of(FeatureTables.read(spark, params.target()), params.target());
        // Without a held-out part the metagradients use the whole target set, which also fills the held-out columns.
        TargetSplit.Parts parts = !params.holdsOut() ? new TargetSplit.Parts(target, target)
                : params.heldout() == null ? TargetSplit.split(target, params.heldoutFraction())
                : new TargetSplit.Parts(target, FeatureRows.of(FeatureTables.read(spark, params.heldout()), params.heldout()));
        double[] prompts = params.prompts() == null ? null
                : ZeroShotPrompts.read(spark, params.prompts(), pool.targetWidth());
        TableChecks.keepWithinPool("select", params.keep(), pool.size(), pool.source());
        SelectionData data = SelectionData.of(pool, parts.target(), parts.heldout(), params.training(), params.classes(), prompts);
        if (data.objective() == SelectionData.Objective.LABELS) {
            Map<String, FeatureRows> labelled = new java.util.LinkedHashMap<>();
            labelled.put("--target", target);
            labelled.put("--heldout", params.heldout() == null ? null : parts.heldout());
            TableChecks.classesInPool("select", "--pool", pool.source(), pool.labels(), labelled);
        }
        return data;
    }

    private static void requireResumable(RunState state, SelectParams params, int planned, Map<String, String> inputs,
            RunDirectory dir) {
        String hint = "; pass --overwrite to start over or choose another --output";
        Map<String, String> before = state.resumeParams();
        for (Map.Entry<String, String> e : params.resumeParams().entrySet()) {
            String old = before == null ? null : before.get(e.getKey());
            if (!Objects.equals(old, e.getValue())) {
                throw new IllegalArgumentException("output " + dir.path() + " holds a select run made with " + e.getKey() + " = "
                        + old + ", not " + e.getValue() + hint);
            }
        }
        for (Map.Entry<String, String> e : inputs.entrySet()) {
            if (state.inputs() == null || !e.getValue().equals(state.inputs().get(e.getKey()))) {
                throw new IllegalArgumentException("output " + dir.path() + " holds a select run made from another " + e.getKey()
                        + " table (its rows' SHA-256 differs)" + hint);
            }
        }
        if (state.completedStep() > planned) {
            throw new IllegalArgumentException("output " + dir.path() + " already has " + state.completedStep()
                    + " MGD steps; --mgd-steps " + planned + " would discard some" + hint);
        }
    }

    private static List<String> inputInputs(SelectParams params) {
        List<String> in = new ArrayList<>(List.of(params.pool(), params.target()));
        if (params.heldout() != null) {
            in.add(params.heldout());
        }
        if (params.prompts() != null) {
            in.add(params.prompts());
        }
        if (params.initialCounts() != null) {
            in.add(params.initialCounts());
        }
        return in;
    }

    /** The per-step progress line. */
    public static String describe(StepMetrics m, int steps) {
        StringBuilder b = new StringBuilder(String.format(java.util.Locale.ROOT,
                "select step %d/%d: target loss %.4f, held-out loss %.4f", m.step(), steps, m.targetLoss(), m.heldoutLoss()));
        if (m.heldoutAccuracy() != null) {
            b.append(String.format(java.util.Locale.ROOT, " (acc %.3f)", m.heldoutAccuracy()));
        }
        b.append(m.bestStep() == m.step() ? " *best*" : " (best: step " + m.bestStep() + ")");
        b.append(String.format(java.util.Locale.ROOT, ", kept %d, Σcount %d, changed %d, %.1f s",
                m.kept(), m.totalCount(), m.changed(), m.seconds()));
        return b.toString();
    }

    /** {@code spark-submit} entry point; same options and exit codes as {@code mgd select}. */
    public static void main(String[] args) {
        JobMain.run("select", args, new SelectOptions(), o -> run(JobSession.start("mgd select", o.conf()), o.toParams()));
    }
}
