package io.metagrad.spark.train;

import io.metagrad.core.config.TrainConfig;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything an executor needs to rebuild the training config: the shared training options, the
 * smoothing knobs and the data widths. ({@link TrainConfig} itself is not serializable.)
 */
public record RunSpec(TrainingOptions options, SmoothingKnobs knobs, int inputDim, int outputDim) implements Serializable {

    private static final long serialVersionUID = 1L;

    public TrainConfig config() {
        return config(0);
    }

    /** The config with the training seed moved by {@code offset} (replica or evaluation seed). */
    public TrainConfig config(int offset) {
        return knobs.apply(options.config(inputDim, outputDim, offset), options);
    }

    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>(options.describe());
        m.putAll(knobs.describe());
        return m;
    }
}
