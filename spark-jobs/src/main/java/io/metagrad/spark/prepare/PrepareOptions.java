package io.metagrad.spark.prepare;

import io.metagrad.spark.featurize.FeaturizerOptions;
import io.metagrad.spark.ingest.IngestReadOptions;
import io.metagrad.spark.ingest.IngestSplit;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of {@code mgd prepare} (shared by the CLI command and {@link PrepareJob#main}): the splits and the output,
 * then ingest's reading options and featurize's featurizer options, the same mixins those commands use.
 */
public final class PrepareOptions {

    @Option(names = "--split", required = true, paramLabel = "NAME=PATH",
            description = "A split's raw input (file, directory or glob; commas for several), ingested into <output>/pool/NAME and"
                    + " featurized into <output>/features/NAME. Repeat: --split pool=raw/pool.csv --split target=raw/target.csv."
                    + " The first split is the one the label index (--index-labels) and the featurizer are fitted on.")
    List<String> splits;

    @Option(names = "--target-split", paramLabel = "NAME",
            description = "Write this split's features as a target set (targets/v1), as featurize --target-split does (repeatable).")
    List<String> targetSplits;

    @Option(names = "--output", required = true, paramLabel = "DIR",
            description = "The directory to write: pool/NAME (pool tables), features/NAME (features tables) and, with --on-bad"
                    + " quarantine, pool_quarantine/NAME; committed once, when every split of both stages is done.")
    String output;

    @Option(names = "--overwrite", description = "Replace an existing output directory (one metagrad made).")
    boolean overwrite;

    @Mixin
    IngestReadOptions ingest = new IngestReadOptions();

    @Mixin
    FeaturizerOptions featurizer = new FeaturizerOptions();

    /** The validated parameters. */
    public PrepareParams toParams() {
        List<IngestSplit> parsed = splits.stream().map(IngestSplit::parse).toList();
        // the paths given here are placeholders: PrepareParams.of puts both stages under the output
        return PrepareParams.of(output, ingest.toParams(List.of(), parsed, output, null, overwrite),
                featurizer.toParams(output, output + "/features", "label", null, false, overwrite),
                targetSplits == null ? Set.of() : Set.copyOf(targetSplits), overwrite);
    }
}
