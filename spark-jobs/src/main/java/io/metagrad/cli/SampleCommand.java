package io.metagrad.cli;

import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.sample.SampleBuilder;
import io.metagrad.spark.sample.SampleParams;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mgd sample}: builds the shipped Fashion-MNIST sample (see data/sample/README.md). */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = {"Builds a noisy candidate pool, a clean target split and a test split from Fashion-MNIST",
            "(flipped labels, duplicates, items of held-out classes; a per-row source column says which)."})
final class SampleCommand implements Callable<Integer> {

    @Option(names = "--fashion-mnist", defaultValue = "/usr/share/datasets/fashion-mnist", paramLabel = "DIR",
            description = "Directory with the IDX .gz files. Default: ${DEFAULT-VALUE}.")
    String fashionMnist;

    @Option(names = "--output", defaultValue = "data/sample", paramLabel = "DIR", description = "Default: ${DEFAULT-VALUE}.")
    String output;

    @Option(names = "--seed", defaultValue = "17", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--pool-size", defaultValue = "2000", description = "Default: ${DEFAULT-VALUE}.")
    int poolSize;

    @Option(names = "--overwrite", description = "Replace existing tables.")
    boolean overwrite;

    @Override
    public Integer call() {
        SampleParams p = SampleParams.defaults(fashionMnist, output).withSeed(seed).withOverwrite(overwrite);
        p = p.withSizes(poolSize, p.targetPerClass(), p.testPerClass());
        System.out.println("sample: wrote " + SampleBuilder.build(SparkSessions.getOrCreate("mgd sample"), p) + " rows to " + output);
        return 0;
    }
}
