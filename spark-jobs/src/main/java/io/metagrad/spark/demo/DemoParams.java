package io.metagrad.spark.demo;

import io.metagrad.spark.train.TrainingOptions;
import java.util.Objects;

/**
 * Parameters of the demo.
 *
 * @param workDir where every output goes; default {@code runs/demo}
 * @param overwrite replace an existing work directory; default false
 * @param training how models are trained (select, and the all-data vs selected comparison); default
 *     {@link #training}(LOGISTIC, {@value #LR}, {@value #TRAIN_STEPS})
 * @param mgdSteps MGD steps; default {@value #MGD_STEPS}
 * @param maskProbability Bernoulli p of MGD; default {@value #MASK_P}
 * @param replicas metagradient replicas per step; default {@value #REPLICAS} (one per core of a small machine)
 * @param sample directory of the shipped sample ({@code pool/}, {@code target/}, {@code test/}); default
 *     {@code $MGD_HOME/data/sample} ({@code bin/mgd} sets {@code MGD_HOME} to the repository)
 */
public record DemoParams(String workDir, boolean overwrite, TrainingOptions training, int mgdSteps, double maskProbability,
        int replicas, String sample) {

    /** The shipped sample in the repository that {@code bin/mgd} runs from. */
    public static String defaultSample() {
        return System.getenv().getOrDefault("MGD_HOME", ".") + "/data/sample";
    }

    // Chosen on the shipped sample's features (8 classes, 64-d): a smaller rate than the generic
    // default keeps training smooth enough for informative metagradients; more MGD steps fit in the
    // demo's time budget.
    public static final int MGD_STEPS = 20;
    public static final double MASK_P = 0.3;
    public static final int REPLICAS = 2;
    public static final double LR = 0.003;
    public static final int TRAIN_STEPS = 400;

    public DemoParams {
        if (workDir == null || workDir.isBlank()) {
            throw new IllegalArgumentException("demo.workDir is required");
        }
        Objects.requireNonNull(training, "demo.training is required");
        if (mgdSteps < 1) {
            throw new IllegalArgumentException("demo.mgdSteps = " + mgdSteps + " invalid; must be >= 1");
        }
        if (sample == null || sample.isBlank()) {
            throw new IllegalArgumentException("demo.sample is required");
        }
        if (replicas < 1) {
            throw new IllegalArgumentException("demo.replicas = " + replicas + " invalid; must be >= 1");
        }
    }

    /** The demo's training: batch 64, SGD momentum 0.9, cosine learning rate, seed 0. */
    public static TrainingOptions training(TrainingOptions.ModelKind model, double lr, int steps) {
        TrainingOptions d = TrainingOptions.defaults();
        return new TrainingOptions(model, d.hidden(), d.projectionDim(), lr, TrainingOptions.ScheduleKind.COSINE, 0, d.momentum(),
                d.weightDecay(), d.batchSize(), steps, d.seed(), d.precision());
    }
}
