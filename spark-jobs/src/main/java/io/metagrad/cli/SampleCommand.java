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

    @Override
    public Integer call() {
        SampleParams p = SampleParams.defaults(source.fashionMnist, output).withSeed(source.seed).withOverwrite(source.overwrite);
        p = p.withSizes(source.poolSize, p.targetPerClass(), p.testPerClass());
        System.out.println("sample: wrote " + SampleBuilder.build(SparkSessions.getOrCreate("mgd sample"), p) + " rows to " + output);
        return 0;
    }
}
