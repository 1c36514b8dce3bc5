package io.metagrad.spark.demo;

import io.metagrad.spark.train.TrainingOptions;
import java.util.Objects;

/**
 * Parameters of the demo.
 *
 * @param workDir where every output goes; default {@code runs/demo}
 * @param overwrite replace an existing work directory; default false
 * @param training how models are trained (select, and the all-data vs selected comparison)
 * @param mgdSteps MGD steps; default 12
 * @param maskProbability Bernoulli p of MGD; default 0.2
 * @param replicas metagradient replicas per step; default 2 (one per core of a small machine)
 */
public record DemoParams(String workDir, boolean overwrite, TrainingOptions training, int mgdSteps, double maskProbability,
        int replicas) {

    public DemoParams {
        if (workDir == null || workDir.isBlank()) {
            throw new IllegalArgumentException("demo.workDir is required");
        }
        Objects.requireNonNull(training, "demo.training is required");
        if (mgdSteps < 1) {
            throw new IllegalArgumentException("demo.mgdSteps = " + mgdSteps + " invalid; must be >= 1");
        }
        if (replicas < 1) {
            throw new IllegalArgumentException("demo.replicas = " + replicas + " invalid; must be >= 1");
        }
    }
}
