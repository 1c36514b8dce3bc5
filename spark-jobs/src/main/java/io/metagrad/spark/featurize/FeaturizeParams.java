package io.metagrad.spark.featurize;

import io.metagrad.spark.io.AtomicOutput;
import io.metagrad.spark.schema.TableSchemas;

/**
 * Parameters of {@link FeaturizeJob}. Build with {@link #of} and the {@code with…} methods;
 * every value is checked here.
 *
 * @param input           the pool table to read
 * @param output          the features table to write
 * @param featurizer      which featurizer
 * @param numFeatures     hashing-tfidf: number of hash buckets, 1–16777216; default 1024
 * @param projectionDim   pixels: random projection to this many dimensions, 0 = none (default)
 * @param seed            pixels: seed of the projection matrix; default 0
 * @param embedding       passthrough: the pool embedding to use ({@code NAME} of {@code emb_NAME}); required there
 * @param labelColumn     pool int column copied to {@code label}; default {@code label}; {@code none} for no labels
 * @param targetEmbedding pool embedding copied to {@code target} (e.g. a caption embedding), or null (default)
 * @param batchSize       minilm: texts tokenized per call within a task; default 256
 * @param runBatch        minilm: texts per network run; default 1 (see {@link MiniLmEncoder})
 * @param fittedFrom      features table whose fitted state (IDF weights, pixel mean/std) to reuse instead of
 *                        fitting on the input, so that other splits land in the same space; default null
 * @param targetSet       write a target set (targets/v1): every row must have a label or a target; default false
 * @param overwrite       replace an existing output; default false
 */
public record FeaturizeParams(String input, String output, FeaturizerKind featurizer, int numFeatures, int projectionDim,
        long seed, String embedding, String labelColumn, String targetEmbedding, int batchSize, int runBatch,
        String fittedFrom, boolean targetSet, boolean overwrite) {

    public static final int DEFAULT_NUM_FEATURES = 1024;
    public static final int DEFAULT_BATCH_SIZE = 256;
    /** Value of {@code labelColumn} meaning "no labels". */
    public static final String NO_LABELS = "none";

    public FeaturizeParams {
        require(input != null && !input.isBlank(), "featurize needs --input (a pool table)");
        require(output != null && !output.isBlank(), "featurize needs --output (the features table)");
        require(featurizer != null, "featurize needs --featurizer (hashing-tfidf, minilm, pixels or passthrough)");
        require(numFeatures >= 1 && numFeatures <= 1 << 24, "featurize --num-features = " + numFeatures + " is invalid; must be in 1..16777216");
        require(projectionDim >= 0 && projectionDim <= 65_536, "featurize --projection-dim = " + projectionDim + " is invalid; must be in 0..65536");
        require(projectionDim == 0 || featurizer == FeaturizerKind.PIXELS, "featurize --projection-dim applies to --featurizer pixels only");
        require((embedding != null) == (featurizer == FeaturizerKind.PASSTHROUGH),
                featurizer == FeaturizerKind.PASSTHROUGH ? "featurize --featurizer passthrough needs --embedding NAME"
                        : "featurize --embedding applies to --featurizer passthrough only");
        require(embedding == null || TableSchemas.isEmbeddingName(embedding), "featurize --embedding '" + embedding
                + "' is not an embedding name (the NAME of column emb_NAME, [A-Za-z0-9_]+)");
        require(targetEmbedding == null || TableSchemas.isEmbeddingName(targetEmbedding), "featurize --target-embedding '"
                + targetEmbedding + "' is not an embedding name (the NAME of column emb_NAME)");
        labelColumn = labelColumn == null || labelColumn.isBlank() ? "label" : labelColumn.strip();
        require(batchSize >= 1 && batchSize <= 100_000, "featurize --batch-size = " + batchSize + " is invalid; must be in 1..100000");
        require(runBatch >= 1 && runBatch <= 1024, "featurize --run-batch = " + runBatch + " is invalid; must be in 1..1024");
        require(!output.strip().equals(input.strip()), "featurize --output must differ from --input");
        require(!targetSet || !labelColumn.equals(NO_LABELS) || targetEmbedding != null,
                "featurize --target-set needs labels (--label-column) or --target-embedding");
    }

    /** Defaults for everything but input, output and featurizer (for passthrough see {@link #passthrough}). */
    public static FeaturizeParams of(String input, String output, FeaturizerKind featurizer) {
        return new FeaturizeParams(input, output, featurizer, DEFAULT_NUM_FEATURES, 0, 0, null, "label", null,
                DEFAULT_BATCH_SIZE, 1, null, false, false);
    }

    /** Defaults for the passthrough of pool embedding {@code emb_<embedding>}. */
    public static FeaturizeParams passthrough(String input, String output, String embedding) {
        return new FeaturizeParams(input, output, FeaturizerKind.PASSTHROUGH, DEFAULT_NUM_FEATURES, 0, 0, embedding, "label",
                null, DEFAULT_BATCH_SIZE, 1, null, false, false);
    }

    public FeaturizeParams withNumFeatures(int n) {
        return new FeaturizeParams(input, output, featurizer, n, projectionDim, seed, embedding, labelColumn, targetEmbedding, batchSize, runBatch, fittedFrom, targetSet, overwrite);
    }

    public FeaturizeParams withProjection(int dim, long projectionSeed) {
        return new FeaturizeParams(input, output, featurizer, numFeatures, dim, projectionSeed, embedding, labelColumn, targetEmbedding, batchSize, runBatch, fittedFrom, targetSet, overwrite);
    }

    public FeaturizeParams withEmbedding(String name) {
        return new FeaturizeParams(input, output, featurizer, numFeatures, projectionDim, seed, name, labelColumn, targetEmbedding, batchSize, runBatch, fittedFrom, targetSet, overwrite);
    }

    public FeaturizeParams withLabelColumn(String column) {
        return new FeaturizeParams(input, output, featurizer, numFeatures, projectionDim, seed, embedding, column, targetEmbedding, batchSize, runBatch, fittedFrom, targetSet, overwrite);
    }

    public FeaturizeParams withTargetEmbedding(String name) {
        return new FeaturizeParams(input, output, featurizer, numFeatures, projectionDim, seed, embedding, labelColumn, name, batchSize, runBatch, fittedFrom, targetSet, overwrite);
    }

    public FeaturizeParams withBatches(int rowsPerBatch, int textsPerRun) {
        return new FeaturizeParams(input, output, featurizer, numFeatures, projectionDim, seed, embedding, labelColumn, targetEmbedding, rowsPerBatch, textsPerRun, fittedFrom, targetSet, overwrite);
    }

    public FeaturizeParams withFittedFrom(String features) {
        return new FeaturizeParams(input, output, featurizer, numFeatures, projectionDim, seed, embedding, labelColumn, targetEmbedding, batchSize, runBatch, features, targetSet, overwrite);
    }

    public FeaturizeParams withTargetSet(boolean t) {
        return new FeaturizeParams(input, output, featurizer, numFeatures, projectionDim, seed, embedding, labelColumn, targetEmbedding, batchSize, runBatch, fittedFrom, t, overwrite);
    }

    public FeaturizeParams withOverwrite(boolean o) {
        return new FeaturizeParams(input, output, featurizer, numFeatures, projectionDim, seed, embedding, labelColumn, targetEmbedding, batchSize, runBatch, fittedFrom, targetSet, o);
    }

    /** These settings reading {@code pool} and writing {@code features} (how mgd prepare points them into its staged output). */
    public FeaturizeParams withPaths(String pool, String features) {
        return new FeaturizeParams(pool, features, featurizer, numFeatures, projectionDim, seed, embedding, labelColumn, targetEmbedding,
                batchSize, runBatch, fittedFrom, targetSet, overwrite);
    }

    /** These settings for one split of {@code featurize --split}: its input and output, fitted state and kind of table. */
    FeaturizeParams forSplit(String splitInput, String splitOutput, String fitted, boolean target) {
        return new FeaturizeParams(splitInput, splitOutput, featurizer, numFeatures, projectionDim, seed, embedding, labelColumn,
                targetEmbedding, batchSize, runBatch, fitted, target, false);
    }

    /** The paths as they will be once a staged output that holds them is committed (what a manifest records). */
    FeaturizeParams committed() {
        return new FeaturizeParams(AtomicOutput.committedPath(input), AtomicOutput.committedPath(output), featurizer, numFeatures,
                projectionDim, seed, embedding, labelColumn, targetEmbedding, batchSize, runBatch,
                fittedFrom == null ? null : AtomicOutput.committedPath(fittedFrom), targetSet, overwrite);
    }

    /** Whether labels are copied from the pool. */
    public boolean hasLabels() {
        return !labelColumn.equals(NO_LABELS);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
