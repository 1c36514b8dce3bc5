package io.metagrad.spark.attribute;

import io.metagrad.spark.train.ModelFlags;
import picocli.CommandLine.Option;

/**
 * Options shared by {@link AttributeOptions} and {@link ValidateOptions}, as a picocli mixin: the tables, the output
 * and how targets are split into tasks. With {@link ModelFlags}, the command-line spelling of {@link AttributionSetup}.
 */
public final class AttributionFlags {

    @Option(names = "--train", required = true, description = "Features table of the training pool.")
    String train;

    @Option(names = "--targets", required = true, description = "Features table of the target examples.")
    String targets;

    @Option(names = "--output", required = true, description = "Output directory.")
    String output;

    @Option(names = "--max-targets", defaultValue = "0", description = "Use only the first N targets (uid order); 0 = all (default).")
    int maxTargets;

    @Option(names = "--targets-per-task", defaultValue = "8", description = "Targets sharing one task and forward run (default: ${DEFAULT-VALUE}).")
    int perTask;

    @Option(names = "--replay-k", defaultValue = "0", description = "REPLAY factor; 0 = ⌈√T⌉ (default).")
    int replayK;

    @Option(names = "--overwrite", description = "Replace an existing output.")
    boolean overwrite;

    /** The validated setup, trained as {@code model} says. */
    AttributionSetup setup(ModelFlags model) {
        return new AttributionSetup(train, targets, output, model.training(), model.knobs(), model.classes(), maxTargets,
                perTask, replayK, overwrite);
    }
}
