package io.metagrad.spark.featurize;

import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** The options of {@code mgd featurize} (shared by the CLI command and {@link FeaturizeJob#main}). */
public final class FeaturizeOptions {

    @Option(names = "--input", paramLabel = "DIR", description = "The pool table to read (or --split).")
    String input;

    @Option(names = "--split", paramLabel = "NAME=DIR",
            description = "Instead of --input: featurize this pool table into <output>/NAME (repeat: pool=… target=… test=…), all in"
                    + " one session and one commit, the featurizer fitted on the first split and applied to the others.")
    List<String> splits;

    @Option(names = "--target-split", paramLabel = "NAME",
            description = "With --split: write this split as a target set (targets/v1), as --target-set does (repeatable).")
    List<String> targetSplits;

    @Option(names = "--output", required = true, paramLabel = "DIR",
            description = "The features table to write (with --split: the directory of one table per split).")
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

    /** The splits of {@code --split}, in the order given; empty with {@code --input}. */
    public List<FeaturizeSplit> splits() {
        List<FeaturizeSplit> parsed = splits == null ? List.of() : splits.stream().map(FeaturizeSplit::parse).toList();
        if (!parsed.isEmpty() && input != null) {
            throw new IllegalArgumentException("featurize takes --input (one table) or --split NAME=DIR (one table per split), not both");
        }
        if (parsed.isEmpty() && (targetSplits != null && !targetSplits.isEmpty())) {
            throw new IllegalArgumentException("featurize --target-split needs --split (with --input, use --target-set)");
        }
        if (!parsed.isEmpty() && targetSet) {
            throw new IllegalArgumentException("featurize --target-set applies to --input; with --split name the target splits"
                    + " with --target-split NAME");
        }
        return parsed;
    }

    /** The splits {@code --target-split} names. */
    public Set<String> targetSplits() {
        return targetSplits == null ? Set.of() : Set.copyOf(targetSplits);
    }

    /** The validated parameters; with {@code --split}, the settings every split shares (input: the first split's). */
    public FeaturizeParams toParams() {
        List<FeaturizeSplit> parsed = splits();
        String input = parsed.isEmpty() ? this.input : parsed.get(0).input();
        return new FeaturizeParams(input, output, FeaturizerKind.parse(featurizer), numFeatures, projectionDim, seed, embedding,
                labelColumn, targetEmbedding, batchSize, runBatch, fittedFrom, targetSet, overwrite);
    }
}
