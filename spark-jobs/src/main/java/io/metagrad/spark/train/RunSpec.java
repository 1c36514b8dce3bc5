package io.metagrad.spark.train;

import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything an executor needs to rebuild the training config: the shared training options, the
 * smoothing knobs and the data widths. ({@link TrainConfig} itself is not serializable.)
 */
public record RunSpec(TrainingOptions options, SmoothingKnobs knobs, int inputDim, int outputDim) implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * The spec for training on {@code pool}: its feature width in; {@code classes} out, or its
     * target-vector width for the CLIP head.
     */
    public static RunSpec of(TrainingOptions options, SmoothingKnobs knobs, FeatureRows pool, int classes) {
        return new RunSpec(options, knobs, pool.width(), options.pairsFeaturesWithTargets() ? pool.targetWidth() : classes);
    }

    /**
     * The config of a run over {@code items} examples with the base seed (named apart from
     * {@link #config(int, long)} so that an int offset can never be taken for a row count).
     */
    public TrainConfig baseConfig(long items) {
        return config(0, items);
    }

    /**
     * The config of a run over {@code items} training examples, seed moved by {@code offset}: the batch
     * shrinks to the training set when that is smaller (a small selection trains like the downstream
     * model would).
     */
    public TrainConfig config(int offset, long items) {
        return knobs.apply(options.config(inputDim, outputDim, offset, items), options);
    }

    /** How many passes over {@code items} examples a run of {@link #config(int, long)} makes (what a layout must hold). */
    public int epochs(long items) {
        TrainConfig c = config(0, items);
        long perEpoch = items / c.batchSize();
        return (int) ((c.steps() + perEpoch - 1) / perEpoch);
    }

    /**
     * {@code rows} as this run's training data: features paired with their target vectors for the
     * CLIP head, else with one-hot labels of {@link #outputDim} classes.
     */
    public TrainingData data(FeatureRows rows) {
        return options.pairsFeaturesWithTargets() ? rows.withTargets() : rows.withLabels(outputDim);
    }

    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>(options.describe());
        m.putAll(knobs.describe());
        return m;
    }
}
