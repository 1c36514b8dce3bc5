package io.metagrad.spark.select;

import io.metagrad.spark.train.SmoothingKnobs;
import io.metagrad.spark.train.TrainingOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Parameters of the MGD data-selection job (method.md §4). Build with {@link #builder}; every field
 * is validated here.
 *
 * @param pool features table of the candidate pool ({@code features/v1})
 * @param target features table of the target set, with labels (or targets)
 * @param heldout optional features table that scores iterates; when null, {@code heldoutFraction}
 *     of the target set (chosen by uid hash) is held out instead
 * @param heldoutFraction share of the target set held out when {@code heldout} is null; default 0.5 for
 *     {@link UpdateRule#SIGNED}, 0 for {@link UpdateRule#PRUNE} (0 = none: metagradients use the whole
 *     target set and the held-out columns of the metrics report the target set itself)
 * @param output the run directory (resumable; see {@link RunDirectory})
 * @param training the model and how it is trained on the pool
 * @param knobs the smoothing knobs of that training (optimizer, normalization, clipping…): the same routine
 *     the downstream model trains with
 * @param prompts optional class-prompts table (CLIP head): the target is then zero-shot classification of the
 *     target images against these prompts (their loss is what MGD descends), not the pairs' contrastive loss
 * @param classes number of classes; default 0 = one more than the largest label
 * @param update how a step changes the counts; default {@link UpdateRule#SIGNED}
 * @param pruneFraction share of the pool a {@link UpdateRule#PRUNE} step drops; default 0.02
 * @param mgdSteps MGD steps S; default 20 (PRUNE derives its steps from the budget and ignores this)
 * @param stepSize count change m of a step; default 1
 * @param maskProbability Bernoulli p of a coordinate being updated in a step; default 0.2
 * @param replicas metagradient replicas R per step (training seeds base..base+R-1); default 2
 * @param replayK REPLAY branching factor; default 0 = ⌈√T⌉ (never changes results, only time and memory)
 * @param seed seed of the Bernoulli masks; default 0
 * @param initialCount every pool item's count before step 1; default 1
 * @param initialCounts optional table of each pool item's count before step 1 instead ({@link InitialCounts}: columns
 *     {@code uid} and {@code count}, e.g. a previous run's {@code selection/}; unlisted items start at 0); default null
 * @param keep keep at most this many items at the end; default 0 = no limit
 * @param keepFraction keep at most this share of the pool at the end; default 0 = no limit
 * @param overwrite delete an existing output directory instead of resuming it; default false
 * @param stopAfter stop once this step is complete (to run in pieces; the run resumes later); default 0 = run all S steps
 * @param smoothness the metasmoothness check made before the first step; default {@link SmoothnessCheck#defaults()}
 */
public record SelectParams(
        String pool,
        String target,
        String heldout,
        double heldoutFraction,
        String output,
        TrainingOptions training,
        SmoothingKnobs knobs,
        String prompts,
        int classes,
        UpdateRule update,
        double pruneFraction,
        int mgdSteps,
        int stepSize,
        double maskProbability,
        int replicas,
        int replayK,
        long seed,
        int initialCount,
        String initialCounts,
        long keep,
        double keepFraction,
        boolean overwrite,
        int stopAfter,
        SmoothnessCheck smoothness) {

    public SelectParams {
        requirePath("select.pool", pool);
        requirePath("select.target", target);
        requirePath("select.output", output);
        Objects.requireNonNull(training, "select.training is required");
        Objects.requireNonNull(knobs, "select.knobs is required");
        Objects.requireNonNull(update, "select.update is required");
        Objects.requireNonNull(smoothness, "select.smoothness is required");
        boolean prune = update == UpdateRule.PRUNE;
        check(heldoutFraction >= 0 && heldoutFraction < 1 && (prune || heldoutFraction > 0), "select.heldoutFraction",
                heldoutFraction, prune ? "must be in [0, 1)" : "must be in (0, 1) (the held-out part picks the best iterate)");
        check(pruneFraction > 0 && pruneFraction < 1, "select.pruneFraction", pruneFraction, "must be in (0, 1)");
        if (prune && keep == 0 && keepFraction == 0) {
            throw new IllegalArgumentException("--update prune needs a budget: give --keep or --keep-fraction");
        }
        check(classes == 0 || classes >= 2, "select.classes", classes, "must be 0 (infer) or >= 2");
        check(mgdSteps >= 1, "select.mgdSteps", mgdSteps, "must be >= 1");
        check(stepSize >= 1, "select.stepSize", stepSize, "must be >= 1");
        check(maskProbability > 0 && maskProbability <= 1, "select.maskProbability", maskProbability, "must be in (0, 1]");
        check(replicas >= 1, "select.replicas", replicas, "must be >= 1");
        check(replayK == 0 || replayK >= 2, "select.replayK", replayK, "must be 0 (√T) or >= 2");
        check(initialCount >= 1, "select.initialCount", initialCount, "must be >= 1");
        if (initialCounts != null && initialCounts.isBlank()) {
            initialCounts = null;
        }
        if (initialCounts != null && initialCount != 1) {
            throw new IllegalArgumentException("give --initial-count (every item's) or --initial-counts (each item's), not both");
        }
        check(stopAfter >= 0 && (prune || stopAfter <= mgdSteps), "select.stopAfter", stopAfter, "must be in [0, mgdSteps]");
        budget(keep, keepFraction);
        if (heldout != null && heldout.isBlank()) {
            heldout = null;
        }
        if (prompts != null && prompts.isBlank()) {
            prompts = null;
        }
        if (prompts != null && training.model() != TrainingOptions.ModelKind.CLIP) {
            throw new IllegalArgumentException("select.prompts is set but train.model = " + training.model()
                    + "; a zero-shot target needs --model CLIP");
        }
    }

    /** Parameters with the documented defaults for the given inputs and output. */
    public static Builder builder(String pool, String target, String output) {
        return new Builder(pool, target, output);
    }

    Selection.Budget budget() {
        return budget(keep, keepFraction);
    }

    private static Selection.Budget budget(long keep, double keepFraction) {
        return new Selection.Budget(keep, keepFraction);
    }

    /** Whether there is a held-out part (a table, or a share of the target set). */
    boolean holdsOut() {
        return heldout != null || heldoutFraction > 0;
    }

    /** The steps of a run over a pool of {@code poolSize} items: S, or as many as PRUNE needs to reach the budget. */
    int plannedSteps(long poolSize) {
        return plannedSteps(poolSize, poolSize);
    }

    /** As {@link #plannedSteps(long)} when only {@code keptAtStart} items start with a count &gt; 0 (PRUNE drops from those). */
    int plannedSteps(long poolSize, long keptAtStart) {
        return update == UpdateRule.PRUNE
                ? PruneUpdate.steps(poolSize, keptAtStart, budget().limit(poolSize), pruneFraction)
                : mgdSteps;
    }

    /** The last step this run computes. */
    int lastStepThisRun(long poolSize) {
        return lastStepThisRun(poolSize, poolSize);
    }

    /** As {@link #lastStepThisRun(long)} with {@code keptAtStart} items starting with a count &gt; 0. */
    int lastStepThisRun(long poolSize, long keptAtStart) {
        int planned = plannedSteps(poolSize, keptAtStart);
        return stopAfter > 0 ? Math.min(stopAfter, planned) : planned;
    }

    /**
     * What a resumed run must share with the run it continues (inputs are compared by content
     * separately): everything that changes the counts of steps already done.
     */
    Map<String, String> resumeParams() {
        Map<String, String> m = new LinkedHashMap<>();
        training.describe().forEach((k, v) -> m.put("train." + k, String.valueOf(v)));
        knobs.describe().forEach((k, v) -> m.put("train." + k, String.valueOf(v)));
        m.put("classes", String.valueOf(classes));
        m.put("target_loss", prompts == null ? "model loss" : "zero-shot");
        m.put("heldout", heldout == null ? "fraction " + heldoutFraction : "table");
        m.put("update", update.cliName());
        if (update == UpdateRule.PRUNE) {
            m.put("prune_fraction", String.valueOf(pruneFraction));
            m.put("budget", keep > 0 ? "keep " + keep : "fraction " + keepFraction);
        }
        m.put("step_size", String.valueOf(stepSize));
        m.put("mask_probability", String.valueOf(maskProbability));
        m.put("replicas", String.valueOf(replicas));
        m.put("seed", String.valueOf(seed));
        // Runs made before per-item counts existed recorded "initial_count" alone: the uniform case spells it the same.
        m.put("initial_count", initialCounts == null ? String.valueOf(initialCount) : "per item (--initial-counts)");
        return m;
    }

    /** All parameters, for {@code _metagrad.json}. */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pool", pool);
        m.put("target", target);
        m.put("heldout", heldout);
        m.put("heldout_fraction", heldout == null ? heldoutFraction : null);
        m.put("output", output);
        m.put("training", training.describe());
        m.put("knobs", knobs.describe());
        m.put("prompts", prompts);
        m.put("classes", classes);
        m.put("update", update.cliName());
        m.put("prune_fraction", update == UpdateRule.PRUNE ? pruneFraction : null);
        m.put("mgd_steps", update == UpdateRule.PRUNE ? null : mgdSteps);
        m.put("step_size", stepSize);
        m.put("mask_probability", maskProbability);
        m.put("replicas", replicas);
        m.put("replay_k", replayK);
        m.put("seed", seed);
        m.put("initial_count", initialCounts == null ? initialCount : null);
        m.put("initial_counts", initialCounts);
        m.put("keep", keep);
        m.put("keep_fraction", keepFraction);
        m.put("smoothness", smoothness.describe());
        return m;
    }

    private static void requirePath(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required (a table path or URI)");
        }
    }

    private static void check(boolean ok, String field, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(field + " = " + value + " invalid; " + rule);
        }
    }

    /** Fluent builder; see the record's fields for defaults. */
    public static final class Builder {
        private final String pool;
        private final String target;
        private final String output;
        private String heldout;
        private Double heldoutFraction;
        private TrainingOptions training = TrainingOptions.defaults();
        private SmoothingKnobs knobs = SmoothingKnobs.defaults();
        private String prompts;
        private int classes;
        private UpdateRule update = UpdateRule.SIGNED;
        private double pruneFraction = 0.02;
        private int mgdSteps = 20;
        private int stepSize = 1;
        private double maskProbability = 0.2;
        private int replicas = 2;
        private int replayK;
        private long seed;
        private int initialCount = 1;
        private String initialCounts;
        private long keep;
        private double keepFraction;
        private boolean overwrite;
        private int stopAfter;
        private SmoothnessCheck smoothness = SmoothnessCheck.defaults();

        private Builder(String pool, String target, String output) {
            this.pool = pool;
            this.target = target;
            this.output = output;
        }

        public Builder heldout(String v) { heldout = v; return this; }
        /** Null restores the update rule's default. */
        public Builder heldoutFraction(Double v) { heldoutFraction = v; return this; }
        public Builder training(TrainingOptions v) { training = v; return this; }
        public Builder knobs(SmoothingKnobs v) { knobs = v; return this; }
        public Builder prompts(String v) { prompts = v; return this; }
        public Builder classes(int v) { classes = v; return this; }
        public Builder update(UpdateRule v) { update = v; return this; }
        public Builder pruneFraction(double v) { pruneFraction = v; return this; }
        public Builder mgdSteps(int v) { mgdSteps = v; return this; }
        public Builder stepSize(int v) { stepSize = v; return this; }
        public Builder maskProbability(double v) { maskProbability = v; return this; }
        public Builder replicas(int v) { replicas = v; return this; }
        public Builder replayK(int v) { replayK = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder initialCount(int v) { initialCount = v; return this; }
        /** A table of each item's starting count ({@code uid, count}); null: {@link #initialCount} for every item. */
        public Builder initialCounts(String v) { initialCounts = v; return this; }
        public Builder keep(long v) { keep = v; return this; }
        public Builder keepFraction(double v) { keepFraction = v; return this; }
        public Builder overwrite(boolean v) { overwrite = v; return this; }
        public Builder stopAfter(int v) { stopAfter = v; return this; }
        public Builder smoothness(SmoothnessCheck v) { smoothness = v; return this; }

        public SelectParams build() {
            double fraction = heldoutFraction != null ? heldoutFraction : update == UpdateRule.PRUNE ? 0 : 0.5;
            return new SelectParams(pool, target, heldout, fraction, output, training, knobs, prompts, classes, update, pruneFraction, mgdSteps, stepSize,
                    maskProbability, replicas, replayK, seed, initialCount, initialCounts, keep, keepFraction, overwrite, stopAfter,
                    smoothness);
        }
    }
}
