package io.metagrad.spark.attribute;

import io.metagrad.spark.train.ModelFlags;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The command-line spelling of {@link ValidateParams}, shared by {@code mgd validate} and
 * {@code spark-submit --class io.metagrad.spark.attribute.ValidateJob}.
 */
public final class ValidateOptions {

    @Mixin
    AttributionFlags io = new AttributionFlags();

    @Option(names = "--subsets", defaultValue = "100", description = "Random removal sets M (default: ${DEFAULT-VALUE}).")
    int subsets;

    @Option(names = "--remove-fraction", defaultValue = "0.01", description = "Fraction α removed per set (default: ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--bootstrap", defaultValue = "1000", description = "Bootstrap resamples (default: ${DEFAULT-VALUE}).")
    int bootstrap;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the removal sets (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    ModelFlags model = new ModelFlags();

    /** The validated parameters. */
    public ValidateParams toParams() {
        return new ValidateParams(io.setup(model), subsets, alpha, bootstrap, seed);
    }
}
