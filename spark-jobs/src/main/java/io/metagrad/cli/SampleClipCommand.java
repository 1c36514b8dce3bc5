package io.metagrad.cli;

import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.sample.ClipSampleBuilder;
import io.metagrad.spark.sample.ClipSampleParams;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mgd sample-clip}: builds the CLIP-style Fashion-MNIST image–caption sample. */
@Command(name = "sample-clip", mixinStandardHelpOptions = true,
        description = {"Builds an image-caption pool (some captions wrong or off-topic; a source column says which),",
            "clean target and test splits with MiniLM caption embeddings (emb_caption), and a class-prompts table."})
final class SampleClipCommand implements Callable<Integer> {

    @Mixin
    FashionMnistFlags source;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Output directory.")
    String output;

    @Override
    public Integer call() {
        ClipSampleParams p = ClipSampleParams.defaults(source.fashionMnist, output).withSeed(source.seed).withOverwrite(source.overwrite);
        p = p.withSizes(source.poolSize, p.targetPerClass(), p.testPerClass());
        System.out.println("sample-clip: wrote " + ClipSampleBuilder.build(SparkSessions.getOrCreate("mgd sample-clip"), p)
                + " rows to " + output);
        return 0;
    }
}
