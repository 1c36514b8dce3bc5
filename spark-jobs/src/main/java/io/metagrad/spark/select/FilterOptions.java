package io.metagrad.spark.select;

import picocli.CommandLine.Option;

/** The command-line spelling of {@link FilterParams}, mixed into {@code mgd select}. */
public final class FilterOptions {

    @Option(names = "--metadata",
            description = "Pool table (mgd ingest's output) whose metadata the DataComp filters read: text, original_width,"
                    + " original_height, similarity scores (basic, text-based, clip-score --score-column, clip-image).")
    String metadata;

    @Option(names = "--score-column",
            description = "Numeric --metadata column that clip-score and clip-image rank by, e.g. clip_l14_similarity_score"
                    + " (without it clip-score is the reference-head baseline).")
    String scoreColumn;

    @Option(names = "--clusters", defaultValue = "10",
            description = "KMeans clusters of image-based and clip-image (default: ${DEFAULT-VALUE}).")
    int clusters;

    public FilterParams toParams() {
        return new FilterParams(metadata, scoreColumn, clusters);
    }
}
