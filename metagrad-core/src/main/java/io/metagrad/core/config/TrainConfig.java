package io.metagrad.core.config;

import io.metagrad.core.model.ModelSpec;
import io.metagrad.core.tensor.Precision;
import java.util.Objects;

/**
 * Everything that fixes a training run {@code A(z)} besides the data and the metaparameter:
 * the same config, data and {@code z} give bitwise the same parameters.
 *
 * @param model the model
 * @param optimizer the optimizer and its constants
 * @param schedule the learning rate per step
 * @param batchSize examples per step ({@code B}); the last partial batch of an epoch is dropped
 * @param steps number of training steps ({@code T})
 * @param seed seeds the initial parameters and the per-epoch permutations
 * @param precision float32 (default) or float64
 * @param gradClipNorm clip the model gradient to this global L2 norm; 0 disables clipping
 * @param maxLossRatio a run whose batch loss exceeds this multiple of its initial loss (at least 1) has diverged
 *     and is stopped ({@link io.metagrad.core.train.DivergenceGuard}); 0 checks only for non-finite values;
 *     default {@value #DEFAULT_MAX_LOSS_RATIO}
 */
public record TrainConfig(
        ModelSpec model,
        OptimizerSpec optimizer,
        Schedule schedule,
        int batchSize,
        int steps,
        long seed,
        Precision precision,
        double gradClipNorm,
        double maxLossRatio) {

    /** Default of {@link #maxLossRatio}: far above any loss a working run reaches, far below a diverged one's. */
    public static final double DEFAULT_MAX_LOSS_RATIO = 100;

    public TrainConfig {
        Objects.requireNonNull(model, "train.model is required");
        Objects.requireNonNull(optimizer, "train.optimizer is required");
        Objects.requireNonNull(schedule, "train.schedule is required");
        Objects.requireNonNull(precision, "train.precision is required");
        Checks.positive("train.batchSize", batchSize);
        Checks.positive("train.steps", steps);
        Checks.nonNegativeFinite("train.gradClipNorm", gradClipNorm);
        Checks.nonNegativeFinite("train.maxLossRatio", maxLossRatio);
        if (schedule instanceof Schedule.PerStep p && p.values().length != steps) {
            throw new IllegalArgumentException(
                    "train.schedule has " + p.values().length + " per-step rates but train.steps = " + steps);
        }
    }

    /** Starts a config; model, optimizer and schedule are required, the rest have defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialized from this config. */
    public Builder toBuilder() {
        return new Builder()
                .model(model)
                .optimizer(optimizer)
                .schedule(schedule)
                .batchSize(batchSize)
                .steps(steps)
                .seed(seed)
                .precision(precision)
                .gradClipNorm(gradClipNorm)
                .maxLossRatio(maxLossRatio);
    }

    /** Fluent builder; defaults: batch 32, 100 steps, seed 0, float32, no clipping, loss bound 100×. */
    public static final class Builder {
        private ModelSpec model;
        private OptimizerSpec optimizer;
        private Schedule schedule;
        private int batchSize = 32;
        private int steps = 100;
        private long seed;
        private Precision precision = Precision.FLOAT32;
        private double gradClipNorm;
        private double maxLossRatio = DEFAULT_MAX_LOSS_RATIO;

        public Builder model(ModelSpec v) { model = v; return this; }
        public Builder optimizer(OptimizerSpec v) { optimizer = v; return this; }
        public Builder schedule(Schedule v) { schedule = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder steps(int v) { steps = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder precision(Precision v) { precision = v; return this; }
        public Builder gradClipNorm(double v) { gradClipNorm = v; return this; }
        public Builder maxLossRatio(double v) { maxLossRatio = v; return this; }

        public TrainConfig build() {
            return new TrainConfig(model, optimizer, schedule, batchSize, steps, seed, precision, gradClipNorm, maxLossRatio);
        }
    }
}
