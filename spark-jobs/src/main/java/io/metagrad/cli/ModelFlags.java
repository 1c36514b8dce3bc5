package io.metagrad.cli;

import io.metagrad.spark.train.SmoothingFlags;
import io.metagrad.spark.train.TrainingFlags;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How commands that retrain models train them: the training options, the smoothing knobs and the class count. */
final class ModelFlags {

    @Mixin
    TrainingFlags training;

    @Mixin
    SmoothingFlags knobs;

    @Option(names = "--classes", defaultValue = "0", description = "Number of classes; 0 = from the labels (default).")
    int classes;
}
