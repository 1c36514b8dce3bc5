package io.metagrad.cli;

import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.sample.ClipSampleBuilder;
import io.metagrad.spark.sample.ClipSampleParams;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mgd sample-clip}: builds the CLIP-style Fashion-MNIST image–caption sample. */
@Command(name = "sample-clip", mixinStandardHelpOptions = true,
        description = {"Builds an image-caption pool (some captions wrong or off-topic; a source column says which),",
            "clean target and test splits with MiniLM caption embeddings (emb_caption), and a class-prompts table."})
final class SampleClipCommand implements Callable<Integer> {

    @Option(names = "--fashion-mnist", defaultValue = "/usr/share/datasets/fashion-mnist", paramLabel = "DIR",
            description = "Directory with the IDX .gz files. Default: ${DEFAULT-VALUE}.")
    String fashionMnist;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Output directory.")
    String output;

    @Option(names = "--seed", defaultValue = "17", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--pool-size", defaultValue = "2000", description = "Default: ${DEFAULT-VALUE}.")
    int poolSize;

    @Option(names = "--overwrite", description = "Replace existing tables.")
    boolean overwrite;

    @Override
    public Integer call() {
        ClipSampleParams p = ClipSampleParams.defaults(fashionMnist, output).withSeed(seed).withOverwrite(overwrite);
        p = p.withSizes(poolSize, p.targetPerClass(), p.testPerClass());
        System.out.println("sample-clip: wrote " + ClipSampleBuilder.build(SparkSessions.getOrCreate("mgd sample-clip"), p)
                + " rows to " + output);
        return 0;
    }
}
