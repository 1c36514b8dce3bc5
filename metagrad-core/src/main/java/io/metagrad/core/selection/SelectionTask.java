package io.metagrad.core.selection;

import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import java.util.Objects;

/**
 * What a selection method sees: the candidate pool, the target split, and the training config of
 * the downstream model (used for reference and warm-up runs).
 */
public record SelectionTask(TrainConfig config, TrainingData pool, TrainingData targets, long seed) {
    public SelectionTask {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(targets, "targets");
        if (pool.inputDim() != targets.inputDim() || pool.targetDim() != targets.targetDim()) {
            throw new IllegalArgumentException("pool and target split differ in width: (" + pool.inputDim() + ", "
                    + pool.targetDim() + ") vs (" + targets.inputDim() + ", " + targets.targetDim() + ")");
        }
    }
}
