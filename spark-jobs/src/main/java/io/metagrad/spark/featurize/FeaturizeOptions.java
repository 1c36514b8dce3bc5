package io.metagrad.spark.featurize;

import java.util.List;
import java.util.Set;
import picocli.CommandLine.Mixin;
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

    @Option(names = "--label-column", defaultValue = "label", paramLabel = "COLUMN",
            description = "Pool int column copied to label, or none. Default: ${DEFAULT-VALUE}.")
    String labelColumn;

    @Option(names = "--fitted-from", paramLabel = "DIR",
            description = "Reuse the fitted state (IDF, pixel mean/std) of this features table, e.g. to featurize target and "
                    + "test splits in the pool's feature space.")
    String fittedFrom;

    @Option(names = "--target-set", description = "Write a target set (targets/v1): every row must have a label or a target.")
    boolean targetSet;

    @Option(names = "--overwrite", description = "Replace an existing output table.")
    boolean overwrite;

    @Mixin
    FeaturizerOptions featurizer = new FeaturizerOptions();

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
        return featurizer.toParams(input, output, labelColumn, fittedFrom, targetSet, overwrite);
    }
}
