package io.metagrad.spark.featurize;

import picocli.CommandLine.Option;

/** The options of {@code mgd featurize} (shared by the CLI command and {@link FeaturizeJob#main}). */
public final class FeaturizeOptions {

    @Option(names = "--input", required = true, paramLabel = "DIR", description = "The pool table to read.")
    String input;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "The features table to write.")
    String output;

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

    @Option(names = "--label-column", defaultValue = "label", paramLabel = "COLUMN",
            description = "Pool int column copied to label, or none. Default: ${DEFAULT-VALUE}.")
    String labelColumn;

    @Option(names = "--target-embedding", paramLabel = "NAME",
            description = "Pool embedding emb_NAME copied to target (e.g. the caption embedding of a CLIP-style pool).")
    String targetEmbedding;

    @Option(names = "--batch-size", defaultValue = "" + FeaturizeParams.DEFAULT_BATCH_SIZE, paramLabel = "N",
            description = "minilm: texts tokenized together within a task. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--run-batch", defaultValue = "1", paramLabel = "N",
            description = "minilm: texts per network run; 1 makes each embedding depend on its text alone. Default: ${DEFAULT-VALUE}.")
    int runBatch;

    @Option(names = "--fitted-from", paramLabel = "DIR",
            description = "Reuse the fitted state (IDF, pixel mean/std) of this features table, e.g. to featurize target and "
                    + "test splits in the pool's feature space.")
    String fittedFrom;

    @Option(names = "--target-set", description = "Write a target set (targets/v1): every row must have a label or a target.")
    boolean targetSet;

    @Option(names = "--overwrite", description = "Replace an existing output table.")
    boolean overwrite;

    public FeaturizeParams toParams() {
        return new FeaturizeParams(input, output, FeaturizerKind.parse(featurizer), numFeatures, projectionDim, seed, embedding,
                labelColumn, targetEmbedding, batchSize, runBatch, fittedFrom, targetSet, overwrite);
    }
}
