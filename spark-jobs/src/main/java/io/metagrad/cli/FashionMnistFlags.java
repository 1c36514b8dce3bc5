package io.metagrad.cli;

import picocli.CommandLine.Option;

/** Options shared by the commands that build samples from Fashion-MNIST ({@code sample}, {@code sample-clip}). */
final class FashionMnistFlags {

    @Option(names = "--fashion-mnist", defaultValue = "/usr/share/datasets/fashion-mnist", paramLabel = "DIR",
            description = "Directory with the IDX .gz files. Default: ${DEFAULT-VALUE}.")
    String fashionMnist;

    @Option(names = "--seed", defaultValue = "17", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--pool-size", defaultValue = "2000", description = "Default: ${DEFAULT-VALUE}.")
    int poolSize;

    @Option(names = "--overwrite", description = "Replace existing tables.")
    boolean overwrite;
}
