package io.metagrad.spark.curate;

import picocli.CommandLine.Option;

/** The command-line spelling of {@link CurateParams}, shared by {@code mgd curate} and {@link CurateJob#main}. */
public final class CurateOptions {

    @Option(names = "--input", required = true, description = "Table to curate (pool or features table with a uid column).")
    String input;

    @Option(names = "--selection", required = true, description = "A finished select run directory.")
    String selection;

    @Option(names = "--output", required = true, description = "Output directory (curated/, subset.npy, summary.json).")
    String output;

    @Option(names = "--overwrite", description = "Replace an existing output directory.")
    boolean overwrite;

    public CurateParams toParams() {
        return new CurateParams(input, selection, output, overwrite);
    }
}
