package io.metagrad.spark.train;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How jobs that retrain models train them, as a picocli mixin: the training options, the smoothing
 * knobs and the class count. Shared by the options of attribute, validate, smoothness and evaluate.
 */
public final class ModelFlags {

    @Mixin
    TrainingFlags training = new TrainingFlags();

    @Mixin
    SmoothingFlags knobs = new SmoothingFlags();

    @Option(names = "--classes", defaultValue = "0", description = "Number of classes; 0 = from the labels (default).")
    int classes;

    /** The validated training options. */
    public TrainingOptions training() {
        return training.toOptions();
    }

    /** The smoothing knobs. */
    public SmoothingKnobs knobs() {
        return knobs.toKnobs();
    }

    /** {@code --classes}; 0 = one more than the largest label. */
    public int classes() {
        return classes;
    }
}
