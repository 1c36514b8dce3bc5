package io.metagrad.spark.evaluate;

import io.metagrad.spark.select.Method;
import io.metagrad.spark.train.SmoothingKnobs;
import io.metagrad.spark.train.TrainingOptions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code mgd evaluate} compares.
 *
 * @param pool features table of the candidate pool
 * @param target features table of the target split (what selection methods may look at)
 * @param test features table of the held-out test split (no method sees it)
 * @param prompts class-prompts table with embeddings (CLIP head: the test metric is zero-shot accuracy); else null
 * @param output output directory (evaluate.json, evaluate.md, evaluate.png, runs/)
 * @param methods methods to compare; all-data is always included as the reference
 * @param budgets fractions of the pool kept, each in (0, 1]
 * @param seeds downstream training seeds per selection; default 5
 * @param training how selection references and the downstream model are trained
 * @param knobs smoothing knobs
 * @param classes number of classes; 0 = from the labels
 * @param mgd how the MGD methods run
 * @param seed seeds the methods' own randomness
 * @param overwrite replace an existing output
 * @param selections finished select runs to compare as they are ({@code --selection NAME=RUN}, e.g. DataComp's filters):
 *     name → run directory; each is trained downstream like every method, on what it kept (its budget is its size)
 * @param submissions also write each compared selection's DataComp submission ({@code --submissions}) under
 *     {@code submissions/} of the output
 * @param oracleSources values of the pool's {@code source} field that mark the items known to be good (e.g.
 *     {@code clean}); when given, an oracle row per budget keeps those first ({@code --oracle-sources}); else empty
 */
public record EvaluateParams(String pool, String target, String test, String prompts, String output, List<Method> methods,
        double[] budgets, int seeds, TrainingOptions training, SmoothingKnobs knobs, int classes, MgdSettings mgd, long seed,
        boolean overwrite, Map<String, String> selections, boolean submissions, List<String> oracleSources) {

    /** Where a {@code --selection} name may be a directory of {@code submissions/}: one plain path segment. */
    private static final java.util.regex.Pattern SUBMISSION_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /** Without submissions. */
    public EvaluateParams(String pool, String target, String test, String prompts, String output, List<Method> methods,
            double[] budgets, int seeds, TrainingOptions training, SmoothingKnobs knobs, int classes, MgdSettings mgd, long seed,
            boolean overwrite, Map<String, String> selections) {
        this(pool, target, test, prompts, output, methods, budgets, seeds, training, knobs, classes, mgd, seed, overwrite,
                selections, false);
    }

    /** Without an oracle. */
    public EvaluateParams(String pool, String target, String test, String prompts, String output, List<Method> methods,
            double[] budgets, int seeds, TrainingOptions training, SmoothingKnobs knobs, int classes, MgdSettings mgd, long seed,
            boolean overwrite, Map<String, String> selections, boolean submissions) {
        this(pool, target, test, prompts, output, methods, budgets, seeds, training, knobs, classes, mgd, seed, overwrite,
                selections, submissions, List.of());
    }

    public EvaluateParams {
        Objects.requireNonNull(pool, "evaluate.pool is required");
        Objects.requireNonNull(target, "evaluate.target is required");
        Objects.requireNonNull(test, "evaluate.test is required");
        Objects.requireNonNull(output, "evaluate.output is required");
        Objects.requireNonNull(training, "evaluate.training is required");
        Objects.requireNonNull(knobs, "evaluate.knobs is required");
        Objects.requireNonNull(mgd, "evaluate.mgd is required");
        selections = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(selections == null ? Map.of() : selections));
        if ((methods == null || methods.isEmpty()) && selections.isEmpty()) {
            throw new IllegalArgumentException("evaluate.methods is empty; name at least one of random, loss, clip-score,"
                    + " grad-sim, influence, mgd, mgd-prune (or --selection NAME=RUN)");
        }
        oracleSources = List.copyOf(oracleSources == null ? List.of() : oracleSources);
        if (oracleSources.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("evaluate --oracle-sources " + String.join(",", oracleSources)
                    + " has a blank value; list the pool's source values of known-good items, e.g. clean");
        }
        for (String name : selections.keySet()) {
            boolean method = java.util.Arrays.stream(Method.values()).anyMatch(m -> m.cliName().equals(name));
            if (name.isBlank() || name.contains(EvaluateJob.EACH_ONCE) || method && methods.contains(Method.parse(name))
                    || name.equals(Method.ALL_DATA.cliName()) || name.equals(OracleSelection.NAME)) {
                throw new IllegalArgumentException("evaluate --selection name '" + name + "' is blank or names a compared"
                        + " method; give each run its own name, e.g. basic-filter=runs/basic");
            }
        }
        methods = methods.stream().filter(m -> m != Method.ALL_DATA).distinct().toList();
        for (Method m : methods) {
            if (m.isFilter(false)) {
                throw new IllegalArgumentException("evaluate: --methods " + m.cliName() + " is a DataComp filter over pool"
                        + " metadata; run it with select --method " + m.cliName() + " and compare its run with --selection NAME=RUN");
            }
        }
        if (methods.contains(Method.CLIP_SCORE) && !training.pairsFeaturesWithTargets()) {
            throw new IllegalArgumentException("evaluate: --methods clip-score needs --model CLIP; without a pair score it ranks"
                    + " by the reference model's loss, row for row the loss baseline, so it is not a baseline of its own here");
        }
        if (budgets == null || budgets.length == 0) {
            throw new IllegalArgumentException("evaluate.budgets is empty");
        }
        for (double b : budgets) {
            if (!(b > 0 && b <= 1)) {
                throw new IllegalArgumentException("evaluate.budgets has " + b + "; each must be in (0, 1]");
            }
        }
        budgets = budgets.clone();
        if (submissions) {
            java.util.Set<String> runs = new java.util.HashSet<>();
            for (Method m : methods) {
                for (double b : budgets) {
                    runs.add(runName(m, b));
                }
            }
            for (String name : selections.keySet()) {
                boolean methodRun = runs.contains(name);
                if (!SUBMISSION_NAME.matcher(name).matches() || methodRun) {
                    throw new IllegalArgumentException("evaluate --submissions: --selection name '" + name + "' cannot name its"
                            + " submission directory (use letters, digits, '.', '_', '-', not a method's <method>-<budget>)");
                }
            }
        }
        if (seeds < 2) {
            throw new IllegalArgumentException("evaluate.seeds = " + seeds + " invalid; must be >= 2 (for a std)");
        }
    }

    /** The name of a method's run (and submission) at a budget: {@code <method>-<budget>}, e.g. {@code mgd-0.30}. */
    public static String runName(Method method, double budget) {
        return String.format(java.util.Locale.ROOT, "%s-%.2f", method.cliName(), budget);
    }

    /** The methods compared when none are named: every method, clip-score only for a model that scores pairs. */
    public static List<Method> defaultMethods(boolean pairs) {
        return java.util.Arrays.stream(new Method[] {Method.RANDOM, Method.LOSS, Method.CLIP_SCORE, Method.GRAD_SIM,
                Method.INFLUENCE, Method.MGD, Method.MGD_PRUNE}).filter(m -> pairs || m != Method.CLIP_SCORE).toList();
    }

    @Override
    public double[] budgets() {
        return budgets.clone();
    }

    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pool", pool);
        m.put("target", target);
        m.put("test", test);
        m.put("prompts", prompts);
        m.put("methods", methods.stream().map(Method::cliName).toList());
        m.put("budgets", Arrays.toString(budgets));
        m.put("seeds", seeds);
        m.put("training", training.describe());
        m.put("knobs", knobs.describe());
        m.put("classes", classes);
        m.put("mgd", mgd.describe());
        m.put("seed", seed);
        m.put("selections", selections);
        m.put("submissions", submissions);
        m.put("oracle_sources", oracleSources);
        return m;
    }
}
