package io.metagrad.spark.prepare;

import io.metagrad.spark.featurize.FeaturizeParams;
import io.metagrad.spark.ingest.IngestParams;
import io.metagrad.spark.ingest.IngestSplit;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.fs.Path;

/**
 * Parameters of {@link PrepareJob}: what {@code ingest --split} and then {@code featurize --split} would be given, with
 * their outputs under one directory. Build with {@link #of}.
 *
 * @param output       the directory to write: {@code pool/NAME} (pool tables), {@code features/NAME} (features or
 *                     target tables) and, when quarantining, {@code pool_quarantine/NAME}
 * @param ingest       the ingest settings, with the splits; its output is {@code output/pool}
 * @param featurize    the featurizer settings; its input is the first split's pool table, its output {@code output/features}
 * @param targetSplits the splits written as target sets (targets/v1), as {@code featurize --target-split} does
 * @param overwrite    replace an existing output (one metagrad made); default false
 */
public record PrepareParams(String output, IngestParams ingest, FeaturizeParams featurize, Set<String> targetSplits,
        boolean overwrite) {

    /** The directory of the pool tables under the output. */
    public static final String POOL = "pool";
    /** The directory of the features tables under the output. */
    public static final String FEATURES = "features";

    public PrepareParams {
        if (output == null || output.isBlank()) {
            throw new IllegalArgumentException("prepare needs --output (the directory of the pool and features tables)");
        }
        if (ingest == null || ingest.splits().isEmpty()) {
            throw new IllegalArgumentException("prepare needs --split NAME=PATH (repeat: --split pool=… --split target=…)");
        }
        targetSplits = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(targetSplits == null ? Set.of() : targetSplits));
        List<String> names = splitNames(ingest);
        for (String t : targetSplits) {
            if (!names.contains(t)) {
                throw new IllegalArgumentException("prepare --target-split " + t + " names no --split (splits: " + String.join(", ", names)
                        + ")");
            }
        }
        if (!ingest.output().equals(new Path(output, POOL).toString())
                || !featurize.output().equals(new Path(output, FEATURES).toString())) {
            throw new IllegalArgumentException("prepare writes its pool tables to " + new Path(output, POOL) + " and its features to "
                    + new Path(output, FEATURES) + " (build the parameters with PrepareParams.of)");
        }
        if (!featurize.labelColumn().equals("label") || featurize.fittedFrom() != null || featurize.targetSet()) {
            throw new IllegalArgumentException("prepare featurizes the label ingest wrote, fitted on the first split"
                    + " (use featurize for --label-column none, --fitted-from or --target-set)");
        }
    }

    /**
     * @param ingest    the ingest settings with the splits (any output; it becomes {@code output/pool})
     * @param featurize the featurizer settings (any input and output; they become the first split and {@code output/features})
     */
    public static PrepareParams of(String output, IngestParams ingest, FeaturizeParams featurize, Set<String> targetSplits,
            boolean overwrite) {
        String pool = new Path(output, POOL).toString();
        IngestParams in = ingest.writingTo(pool).withOverwrite(overwrite);
        String first = new Path(pool, splitNames(in).get(0)).toString();
        return new PrepareParams(output, in, featurize.withPaths(first, new Path(output, FEATURES).toString()).withOverwrite(overwrite),
                targetSplits, overwrite);
    }

    /** The split names, in the order given (the first is the one the label index and the featurizer are fitted on). */
    public List<String> splits() {
        return splitNames(ingest);
    }

    private static List<String> splitNames(IngestParams ingest) {
        return ingest.splits().stream().map(IngestSplit::name).toList();
    }
}
