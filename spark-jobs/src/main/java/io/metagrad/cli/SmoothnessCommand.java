package io.metagrad.cli;

import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.attribute.SmoothnessJob;
import io.metagrad.spark.attribute.SmoothnessParams;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "smoothness", mixinStandardHelpOptions = true,
        description = {"Metasmoothness of a training configuration (1 = smooth): three training runs per random",
            "direction in the per-example weights, no metagradient. Check it before trusting metagradients."})
final class SmoothnessCommand implements Callable<Integer> {

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
    ModelFlags model;

    @Override
    public Integer call() {
        SmoothnessParams params = new SmoothnessParams(train, output, model.training.toOptions(), model.knobs.toKnobs(), model.classes,
                directions, step, seed, overwrite);
        SmoothnessJob.Result r = SmoothnessJob.run(SparkSessions.getOrCreate("metagrad-smoothness"), params);
        System.out.printf("metasmoothness %.4f (per direction %s)%n", r.mean(), Arrays.toString(r.perDirection()));
        return 0;
    }
}
