package io.metagrad.cli;

import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.sample.SampleBuilder;
import io.metagrad.spark.sample.SampleParams;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mgd sample}: builds the shipped Fashion-MNIST sample (see data/sample/README.md). */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = {"Builds a noisy candidate pool, a clean target split and a test split from Fashion-MNIST",
            "(flipped labels, duplicates, items of held-out classes; a per-row source column says which)."})
final class SampleCommand implements Callable<Integer> {

    @Mixin
    FashionMnistFlags source;

    @Option(names = "--output", defaultValue = "data/sample", paramLabel = "DIR", description = "Default: ${DEFAULT-VALUE}.")
    String output;

    @Option(names = "--flip-fraction", defaultValue = "0.4",
            description = "Share of the in-class pool items whose label is replaced by another class, uniformly (default: ${DEFAULT-VALUE}).")
    double flipFraction;

    @Option(names = "--duplicate-fraction", defaultValue = "0.1",
            description = "Share of the pool that copies other pool items under new uids (default: ${DEFAULT-VALUE}).")
    double duplicateFraction;

    @Option(names = "--off-class-fraction", defaultValue = "0.1",
            description = "Share of the pool from the held-out classes 8 and 9, with a task label (default: ${DEFAULT-VALUE}).")
    double offClassFraction;

    @Option(names = "--target-per-class", defaultValue = "25",
            description = "Clean target items per task class, from the training images (default: ${DEFAULT-VALUE}).")
    int targetPerClass;

    @Option(names = "--test-per-class", defaultValue = "125",
            description = "Test items per task class, from the test images (default: ${DEFAULT-VALUE}).")
    int testPerClass;

    @Override
    public Integer call() {
        SampleParams p = new SampleParams(source.fashionMnist, output, source.seed, source.poolSize, offClassFraction,
                duplicateFraction, flipFraction, targetPerClass, testPerClass, source.overwrite);
        System.out.println("sample: wrote " + SampleBuilder.build(SparkSessions.getOrCreate("mgd sample"), p) + " rows to " + output);
        return 0;
    }
}
