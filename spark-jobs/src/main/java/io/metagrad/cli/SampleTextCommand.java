package io.metagrad.cli;

import io.metagrad.spark.sample.TextSampleBuilder;
import io.metagrad.spark.sample.TextSampleParams;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mgd sample-text}: builds the noisy Reuters text-selection data as JSONL (see docs/results-text.md). */
@Command(name = "sample-text", mixinStandardHelpOptions = true,
        description = {"Builds JSONL pool/target/test splits from Weka's Reuters 'grain' ARFF files (Debian weka):",
            "pool with flipped labels and synthetic off-domain texts (source column says which), clean target, official test."})
final class SampleTextCommand implements Callable<Integer> {

    private static final String WEKA = "/usr/share/doc/weka/examples/";

    @Option(names = "--train", defaultValue = WEKA + "ReutersGrain-train.arff", description = "Default: ${DEFAULT-VALUE}.")
    String train;

    @Option(names = "--test", defaultValue = WEKA + "ReutersGrain-test.arff", description = "Default: ${DEFAULT-VALUE}.")
    String test;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Output directory (JSONL splits).")
    String output;

    @Option(names = "--seed", defaultValue = "17", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--pool-size", defaultValue = "1500", description = "Default: ${DEFAULT-VALUE}.")
    int poolSize;

    @Option(names = "--overwrite", description = "Replace an existing output directory.")
    boolean overwrite;

    @Override
    public Integer call() {
        TextSampleParams d = TextSampleParams.defaults(train, test, output);
        TextSampleParams p = new TextSampleParams(train, test, output, seed, poolSize, d.targetSize(),
                d.targetGrainShare(), d.flipFraction(), d.offDomainFraction(), overwrite);
        System.out.println("sample-text: wrote " + TextSampleBuilder.build(p) + " rows to " + output);
        return 0;
    }
}
