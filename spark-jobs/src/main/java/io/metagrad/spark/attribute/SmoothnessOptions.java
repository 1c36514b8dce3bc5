package io.metagrad.spark.attribute;

import io.metagrad.spark.train.ModelFlags;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The command-line spelling of {@link SmoothnessParams}, shared by {@code mgd smoothness} and
 * {@code spark-submit --class io.metagrad.spark.attribute.SmoothnessJob}.
 */
public final class SmoothnessOptions {

    @Option(names = "--train", required = true, description = "Features table of the training pool.")
    String train;

    @Option(names = "--output", description = "Output directory for smoothness.json (optional).")
    String output;

    @Option(names = "--directions", defaultValue = "3", description = "Random directions D (default: ${DEFAULT-VALUE}).")
    int directions;

    @Option(names = "--step", defaultValue = "0.1", description = "Step h along each direction (default: ${DEFAULT-VALUE}).")
    double step;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the directions (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--overwrite", description = "Replace an existing output.")
    boolean overwrite;

    @Mixin
    ModelFlags model = new ModelFlags();

    /** The validated parameters. */
    public SmoothnessParams toParams() {
        return new SmoothnessParams(train, output, model.training(), model.knobs(), model.classes(), directions, step, seed,
                overwrite);
    }
}
