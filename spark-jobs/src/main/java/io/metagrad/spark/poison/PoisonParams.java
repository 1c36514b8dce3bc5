package io.metagrad.spark.poison;

import io.metagrad.spark.descent.DescentSettings;
import io.metagrad.spark.descent.StepRule;
import io.metagrad.spark.descent.StepSchedule;
import io.metagrad.spark.train.SmoothingKnobs;
import io.metagrad.spark.train.TrainingOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Parameters of a data-poisoning audit. Build with {@link #builder}; every field is validated here,
 * before any input is read.
 *
 * @param train features table the model trains on; an ε-fraction of its rows is poisoned
 * @param validation features table whose mean loss the attack maximizes (φ = −validation loss is what it lowers)
 * @param test features table that is only scored
 * @param output the run directory (resumable for {@link PoisonMethod#MGD})
 * @param method MGD or a baseline; default MGD
 * @param fraction ε, the share of training rows poisoned, in (0, 1); default 0.025
 * @param features whether the poisoned rows' features are optimized (MGD); default true
 * @param labels whether their labels are optimized as soft labels on the simplex (MGD); default false
 * @param box how the features' box is chosen ({@link BoxSpec}); default: the range of the training data
 * @param ball radius of an L2 ball around each original row instead of a box; default 0 = use the box
 * @param training the model and how it trains
 * @param knobs the smoothing knobs
 * @param classes number of classes; 0 = one more than the largest label
 * @param descent the MGD steps (MGD only)
 * @param replicas metagradient replicas per step (training seeds base … base+R−1); default 2
 * @param replayK REPLAY branching factor; 0 = ⌈√T⌉
 * @param seed chooses the poisoned rows and the random flips; default 0
 * @param evalSeeds downstream trainings per data set (clean and poisoned), seeds base+1000 …; default 3
 * @param ascentStep the one-step gradient ascent's step; 0 = as far as the constraint allows (its span)
 * @param gcRadius gradient canceling: the target parameter's distance from the clean one, as a share of its norm
 * @param gcCorruptSteps gradient canceling: ascent steps that make the target parameter
 * @param gcSteps gradient canceling: signed descent steps on the poisoned inputs
 * @param gcStepSize gradient canceling: the first of those steps' size (decays linearly to a tenth), in feature units
 * @param overwrite delete an existing output first
 */
public record PoisonParams(
        String train,
        String validation,
        String test,
        String output,
        PoisonMethod method,
        double fraction,
        boolean features,
        boolean labels,
        BoxSpec box,
        double ball,
        TrainingOptions training,
        SmoothingKnobs knobs,
        int classes,
        DescentSettings descent,
        int replicas,
        int replayK,
        long seed,
        int evalSeeds,
        double ascentStep,
        double gcRadius,
        int gcCorruptSteps,
        int gcSteps,
        double gcStepSize,
        boolean overwrite) {

    /** Downstream evaluations train with seed {@code base + EVAL_SEED_OFFSET + e}, apart from every replica's. */
    public static final int EVAL_SEED_OFFSET = 1000;

    public PoisonParams {
        requirePath("--train", train);
        requirePath("--validation", validation);
        requirePath("--test", test);
        requirePath("--output", output);
        Objects.requireNonNull(method, "--method is required");
        Objects.requireNonNull(box, "--box is required");
        Objects.requireNonNull(training, "training options are required");
        Objects.requireNonNull(knobs, "smoothing knobs are required");
        Objects.requireNonNull(descent, "descent settings are required");
        check(fraction > 0 && fraction < 1, "--fraction", fraction, "must be in (0, 1)");
        check(features || labels, "--optimize", "(nothing)", "choose features, labels or features,labels");
        check(ball >= 0 && Double.isFinite(ball), "--ball", ball, "must be > 0 (or 0 = use the box)");
        check(classes == 0 || classes >= 2, "--classes", classes, "must be 0 (infer) or >= 2");
        check(replicas >= 1 && replicas < EVAL_SEED_OFFSET, "--replicas", replicas, "must be in [1, " + EVAL_SEED_OFFSET + ")");
        check(replayK == 0 || replayK >= 2, "--replay-k", replayK, "must be 0 (√T) or >= 2");
        check(evalSeeds >= 1, "--eval-seeds", evalSeeds, "must be >= 1");
        check(ascentStep >= 0 && Double.isFinite(ascentStep), "--ascent-step", ascentStep, "must be >= 0 (0 = the constraint's span)");
        check(gcRadius > 0 && Double.isFinite(gcRadius), "--gc-radius", gcRadius, "must be > 0");
        check(gcCorruptSteps >= 1, "--gc-corrupt-steps", gcCorruptSteps, "must be >= 1");
        check(gcSteps >= 1, "--gc-steps", gcSteps, "must be >= 1");
        check(gcStepSize > 0 && Double.isFinite(gcStepSize), "--gc-step-size", gcStepSize, "must be > 0");
        if (training.pairsFeaturesWithTargets()) {
            throw new IllegalArgumentException("poison needs a classifier (--model LOGISTIC or MLP), not " + training.model());
        }
    }

    /** Parameters with the documented defaults. */
    public static Builder builder(String train, String validation, String test, String output) {
        return new Builder(train, validation, test, output);
    }

    /** What the poisoned rows and every MGD iterate depend on (inputs are compared by content separately). */
    Map<String, String> resumeParams() {
        Map<String, String> m = new LinkedHashMap<>();
        training.describe().forEach((k, v) -> m.put("train." + k, String.valueOf(v)));
        knobs.describe().forEach((k, v) -> m.put("knobs." + k, String.valueOf(v)));
        m.put("classes", String.valueOf(classes));
        m.put("method", method.cliName());
        m.put("fraction", String.valueOf(fraction));
        m.put("optimize", (features ? "features" : "") + (features && labels ? "," : "") + (labels ? "labels" : ""));
        m.put("constraint", ball > 0 ? "ball " + ball : box.toString());
        m.put("replicas", String.valueOf(replicas));
        m.put("seed", String.valueOf(seed));
        return m;
    }

    /** All parameters, for manifests and the report. */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("train", train);
        m.put("validation", validation);
        m.put("test", test);
        m.put("output", output);
        m.put("method", method.cliName());
        m.put("fraction", fraction);
        m.put("optimize_features", features);
        m.put("optimize_labels", labels);
        m.put("box", box.toString());
        m.put("ball", ball);
        m.put("training", training.describe());
        m.put("knobs", knobs.describe());
        m.put("classes", classes);
        if (method == PoisonMethod.MGD) {
            m.put("descent", descent.describe());
            m.put("replicas", replicas);
            m.put("replay_k", replayK);
        }
        m.put("seed", seed);
        m.put("eval_seeds", evalSeeds);
        m.put("eval_seed_offset", EVAL_SEED_OFFSET);
        if (method == PoisonMethod.GRADIENT_ASCENT) {
            m.put("ascent_step", ascentStep);
        }
        if (method == PoisonMethod.GRADIENT_CANCELING) {
            m.put("gc_radius", gcRadius);
            m.put("gc_corrupt_steps", gcCorruptSteps);
            m.put("gc_steps", gcSteps);
            m.put("gc_step_size", gcStepSize);
        }
        return m;
    }

    private static void requirePath(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required (a table path or URI)");
        }
    }

    private static void check(boolean ok, String field, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("poison " + field + " " + value + " invalid; " + rule);
        }
    }

    /** Fluent builder; see the record's fields for defaults. */
    public static final class Builder {
        private final String train;
        private final String validation;
        private final String test;
        private final String output;
        private PoisonMethod method = PoisonMethod.MGD;
        private double fraction = 0.025;
        private boolean features = true;
        private boolean labels;
        private BoxSpec box = BoxSpec.DATA;
        private double ball;
        private TrainingOptions training = TrainingOptions.defaults();
        private SmoothingKnobs knobs = SmoothingKnobs.defaults();
        private int classes;
        private DescentSettings descent = new DescentSettings(30, 0.1, StepSchedule.CONSTANT, 0.1, StepRule.SIGNED, 0);
        private int replicas = 2;
        private int replayK;
        private long seed;
        private int evalSeeds = 3;
        private double ascentStep;
        private double gcRadius = 0.5;
        private int gcCorruptSteps = 50;
        private int gcSteps = 200;
        private double gcStepSize = 0.05;
        private boolean overwrite;

        private Builder(String train, String validation, String test, String output) {
            this.train = train;
            this.validation = validation;
            this.test = test;
            this.output = output;
        }

        public Builder method(PoisonMethod v) { method = v; return this; }
        public Builder fraction(double v) { fraction = v; return this; }
        public Builder optimize(boolean f, boolean l) { features = f; labels = l; return this; }
        public Builder box(BoxSpec v) { box = v; return this; }
        public Builder ball(double v) { ball = v; return this; }
        public Builder training(TrainingOptions v) { training = v; return this; }
        public Builder knobs(SmoothingKnobs v) { knobs = v; return this; }
        public Builder classes(int v) { classes = v; return this; }
        public Builder descent(DescentSettings v) { descent = v; return this; }
        public Builder replicas(int v) { replicas = v; return this; }
        public Builder replayK(int v) { replayK = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder evalSeeds(int v) { evalSeeds = v; return this; }
        public Builder ascentStep(double v) { ascentStep = v; return this; }
        public Builder gradCancel(double radius, int corruptSteps, int steps, double stepSize) {
            gcRadius = radius;
            gcCorruptSteps = corruptSteps;
            gcSteps = steps;
            gcStepSize = stepSize;
            return this;
        }
        public Builder overwrite(boolean v) { overwrite = v; return this; }

        public PoisonParams build() {
            return new PoisonParams(train, validation, test, output, method, fraction, features, labels, box, ball, training, knobs,
                    classes, descent, replicas, replayK, seed, evalSeeds, ascentStep, gcRadius, gcCorruptSteps, gcSteps, gcStepSize,
                    overwrite);
        }
    }
}
