package io.metagrad.spark.featurize;

import picocli.CommandLine.Option;

/**
 * Which featurizer and its settings: the options that {@code mgd featurize} and {@code mgd prepare} share. The inputs,
 * outputs and kind of table are each command's own.
 */
public final class FeaturizerOptions {

    @Option(names = "--featurizer", required = true, paramLabel = "NAME",
            description = "hashing-tfidf (text, Spark MLlib), minilm (text, MiniLM-L6-v2 sentence encoder), "
                    + "pixels (images, standardized; with --projection-dim a seeded random projection) or passthrough (--embedding).")
    String featurizer;

    @Option(names = "--num-features", defaultValue = "" + FeaturizeParams.DEFAULT_NUM_FEATURES, paramLabel = "N",
            description = "hashing-tfidf: hash buckets. Default: ${DEFAULT-VALUE}.")
    int numFeatures;

    @Option(names = "--projection-dim", defaultValue = "0", paramLabel = "K",
            description = "pixels: project to K dimensions (0 = no projection). Default: ${DEFAULT-VALUE}.")
    int projectionDim;

    @Option(names = "--seed", defaultValue = "0", description = "pixels: seed of the projection. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--embedding", paramLabel = "NAME", description = "passthrough: the pool embedding emb_NAME to use.")
    String embedding;

    @Option(names = "--target-embedding", paramLabel = "NAME",
            description = "Pool embedding emb_NAME copied to target (e.g. the caption embedding of a CLIP-style pool).")
    String targetEmbedding;

    @Option(names = "--batch-size", defaultValue = "" + FeaturizeParams.DEFAULT_BATCH_SIZE, paramLabel = "N",
            description = "minilm: texts tokenized together within a task. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--run-batch", defaultValue = "1", paramLabel = "N",
            description = "minilm: texts per network run; 1 makes each embedding depend on its text alone. Default: ${DEFAULT-VALUE}.")
    int runBatch;

    /** The validated parameters of featurizing {@code input} into {@code output} with these settings. */
    public FeaturizeParams toParams(String input, String output, String labelColumn, String fittedFrom, boolean targetSet,
            boolean overwrite) {
        return new FeaturizeParams(input, output, FeaturizerKind.parse(featurizer), numFeatures, projectionDim, seed, embedding,
                labelColumn, targetEmbedding, batchSize, runBatch, fittedFrom, targetSet, overwrite);
    }
}
