package io.metagrad.spark.tune;

import io.metagrad.spark.descent.DescentSettings;
import io.metagrad.spark.descent.StepRule;
import io.metagrad.spark.descent.StepSchedule;
import io.metagrad.spark.train.SmoothingKnobs;
import io.metagrad.spark.train.TrainingOptions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Parameters of learning-rate-schedule tuning. Build with {@link #builder}; every field is validated
 * here, before any input is read.
 *
 * @param train features table the model trains on
 * @param validation features table whose mean loss after training is minimized
 * @param test features table that is only scored
 * @param output the run directory (resumable for {@link TuneMethod#MGD})
 * @param method MGD, grid or random search; default MGD
 * @param knots K knots of the piecewise-linear schedule MGD tunes; 0 = one rate per training step; default 0
 * @param lrRange {@code [lo, hi]}, 0 &lt; lo &lt; hi: MGD's box for every rate, and the peaks' range of the baselines; default [1e-3, 1]
 * @param tuneWeightDecay MGD tunes the weight decay too (in log space, starting at {@code --weight-decay} &gt; 0)
 * @param wdRange {@code [lo, hi]} box of the tuned weight decay; default [1e-6, 1e-1]
 * @param training the model and how it trains; its schedule is MGD's start and the baselines' weight decay is its
 * @param knobs the smoothing knobs
 * @param classes number of classes; 0 = one more than the largest label
 * @param descent the MGD steps (in log units: a step of 0.1 changes a rate by about 10 %)
 * @param replicas metagradient replicas per MGD step; default 1
 * @param replayK REPLAY branching factor; 0 = ⌈√T⌉
 * @param peaks the grid's peak rates; empty = 8 values log-spaced over {@code lrRange}
 * @param warmups the grid's warmup shares of the run; default 0, 0.05, 0.1, 0.2
 * @param finals the grid's final rates as shares of the peak; default 0, 0.01, 0.1, 0.3
 * @param trials random search: schedules drawn; default 20
 * @param seed random search's seed; default 0
 * @param evalSeeds retrainings of the chosen schedule (seeds base+1000 …); default 3
 * @param overwrite delete an existing output first
 */
public record TuneParams(
        String train,
        String validation,
        String test,
        String output,
        TuneMethod method,
        int knots,
        double[] lrRange,
        boolean tuneWeightDecay,
        double[] wdRange,
        TrainingOptions training,
        SmoothingKnobs knobs,
        int classes,
        DescentSettings descent,
        int replicas,
        int replayK,
        double[] peaks,
        double[] warmups,
        double[] finals,
        int trials,
        long seed,
        int evalSeeds,
        boolean overwrite) {

    /** Evaluations train with seed {@code base + EVAL_SEED_OFFSET + e}, apart from the search's seeds. */
    public static final int EVAL_SEED_OFFSET = 1000;

    public TuneParams {
        requirePath("--train", train);
        requirePath("--validation", validation);
        requirePath("--test", test);
        requirePath("--output", output);
        Objects.requireNonNull(method, "--method is required");
        Objects.requireNonNull(training, "training options are required");
        Objects.requireNonNull(knobs, "smoothing knobs are required");
        Objects.requireNonNull(descent, "descent settings are required");
        check(knots >= 0, "--knots", knots, "must be >= 0 (0 = one rate per step)");
        check(knots <= training.steps(), "--knots", knots, "must be at most --train-steps = " + training.steps());
        lrRange = range("--lr-range", lrRange);
        wdRange = range("--weight-decay-range", wdRange);
        if (tuneWeightDecay) {
            check(training.weightDecay() > 0, "--weight-decay", training.weightDecay(),
                    "must be > 0 to start tuning it (--tune-weight-decay works in log space)");
        }
        check(classes == 0 || classes >= 2, "--classes", classes, "must be 0 (infer) or >= 2");
        check(replicas >= 1 && replicas < EVAL_SEED_OFFSET, "--replicas", replicas, "must be in [1, " + EVAL_SEED_OFFSET + ")");
        check(replayK == 0 || replayK >= 2, "--replay-k", replayK, "must be 0 (√T) or >= 2");
        peaks = peaks == null || peaks.length == 0 ? SearchSpace.logSpaced(lrRange[0], lrRange[1], 8) : peaks.clone();
        for (double p : peaks) {
            check(p > 0 && Double.isFinite(p), "--grid-peaks", Arrays.toString(peaks), "every peak must be > 0");
        }
        warmups = warmups.clone();
        for (double w : warmups) {
            check(w >= 0 && w < 1, "--grid-warmups", Arrays.toString(warmups), "every share must be in [0, 1)");
        }
        finals = finals.clone();
        for (double f : finals) {
            check(f >= 0 && f <= 1, "--grid-finals", Arrays.toString(finals), "every share must be in [0, 1]");
        }
        check(warmups.length > 0 && finals.length > 0, "--grid-warmups/--grid-finals", "(empty)", "need at least one value each");
        check(trials >= 1, "--trials", trials, "must be >= 1");
        check(evalSeeds >= 1, "--eval-seeds", evalSeeds, "must be >= 1");
    }

    private static double[] range(String field, double[] r) {
        check(r != null && r.length == 2, field, r == null ? "null" : Arrays.toString(r), "needs LO,HI");
        check(r[0] > 0 && r[1] > r[0] && Double.isFinite(r[1]), field, r[0] + "," + r[1], "needs 0 < LO < HI");
        return r.clone();
    }

    public static Builder builder(String train, String validation, String test, String output) {
        return new Builder(train, validation, test, output);
    }

    /** K of the tuned schedule: {@code knots}, or T for one rate per step. */
    int effectiveKnots() {
        return knots == 0 ? training.steps() : knots;
    }

    Map<String, String> resumeParams() {
        Map<String, String> m = new LinkedHashMap<>();
        training.describe().forEach((k, v) -> m.put("train." + k, String.valueOf(v)));
        knobs.describe().forEach((k, v) -> m.put("knobs." + k, String.valueOf(v)));
        m.put("classes", String.valueOf(classes));
        m.put("method", method.cliName());
        m.put("knots", String.valueOf(effectiveKnots()));
        m.put("lr_range", Arrays.toString(lrRange));
        m.put("tune_weight_decay", String.valueOf(tuneWeightDecay));
        m.put("weight_decay_range", Arrays.toString(wdRange));
        m.put("replicas", String.valueOf(replicas));
        return m;
    }

    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("train", train);
        m.put("validation", validation);
        m.put("test", test);
        m.put("output", output);
        m.put("method", method.cliName());
        m.put("training", training.describe());
        m.put("knobs", knobs.describe());
        m.put("classes", classes);
        m.put("lr_range", lrRange);
        if (method == TuneMethod.MGD) {
            m.put("knots", effectiveKnots());
            m.put("tune_weight_decay", tuneWeightDecay);
            m.put("weight_decay_range", wdRange);
            m.put("descent", descent.describe());
            m.put("replicas", replicas);
            m.put("replay_k", replayK);
        } else {
            m.put("grid_peaks", peaks);
            m.put("grid_warmups", warmups);
            m.put("grid_finals", finals);
        }
        if (method == TuneMethod.RANDOM) {
            m.put("trials", trials);
            m.put("seed", seed);
        }
        m.put("eval_seeds", evalSeeds);
        m.put("eval_seed_offset", EVAL_SEED_OFFSET);
        return m;
    }

    private static void requirePath(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required (a table path or URI)");
        }
    }

    private static void check(boolean ok, String field, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("tune-lr " + field + " " + value + " invalid; " + rule);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TuneParams p && describe().toString().equals(p.describe().toString()) && overwrite == p.overwrite;
    }

    @Override
    public int hashCode() {
        return describe().toString().hashCode();
    }

    /** Fluent builder; see the record's fields for defaults. */
    public static final class Builder {
        private final String train;
        private final String validation;
        private final String test;
        private final String output;
        private TuneMethod method = TuneMethod.MGD;
        private int knots;
        private double[] lrRange = {1e-3, 1};
        private boolean tuneWeightDecay;
        private double[] wdRange = {1e-6, 1e-1};
        private TrainingOptions training = TrainingOptions.defaults();
        private SmoothingKnobs knobs = SmoothingKnobs.defaults();
        private int classes;
        private DescentSettings descent = new DescentSettings(50, 0.1, StepSchedule.CONSTANT, 0.1, StepRule.SIGNED, 0);
        private int replicas = 1;
        private int replayK;
        private double[] peaks = new double[0];
        private double[] warmups = {0, 0.05, 0.1, 0.2};
        private double[] finals = {0, 0.01, 0.1, 0.3};
        private int trials = 20;
        private long seed;
        private int evalSeeds = 3;
        private boolean overwrite;

        private Builder(String train, String validation, String test, String output) {
            this.train = train;
            this.validation = validation;
            this.test = test;
            this.output = output;
        }

        public Builder method(TuneMethod v) { method = v; return this; }
        public Builder knots(int v) { knots = v; return this; }
        public Builder lrRange(double lo, double hi) { lrRange = new double[] {lo, hi}; return this; }
        public Builder tuneWeightDecay(boolean v) { tuneWeightDecay = v; return this; }
        public Builder weightDecayRange(double lo, double hi) { wdRange = new double[] {lo, hi}; return this; }
        public Builder training(TrainingOptions v) { training = v; return this; }
        public Builder knobs(SmoothingKnobs v) { knobs = v; return this; }
        public Builder classes(int v) { classes = v; return this; }
        public Builder descent(DescentSettings v) { descent = v; return this; }
        public Builder replicas(int v) { replicas = v; return this; }
        public Builder replayK(int v) { replayK = v; return this; }
        public Builder grid(double[] p, double[] w, double[] f) { peaks = p; warmups = w; finals = f; return this; }
        public Builder trials(int v) { trials = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder evalSeeds(int v) { evalSeeds = v; return this; }
        public Builder overwrite(boolean v) { overwrite = v; return this; }

        public TuneParams build() {
            return new TuneParams(train, validation, test, output, method, knots, lrRange, tuneWeightDecay, wdRange, training, knobs,
                    classes, descent, replicas, replayK, peaks, warmups, finals, trials, seed, evalSeeds, overwrite);
        }
    }
}
