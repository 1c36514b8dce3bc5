package io.metagrad.spark.curate;

import picocli.CommandLine.Option;

/** The command-line spelling of {@link CurateParams}, shared by {@code mgd curate} and {@link CurateJob#main}. */
public final class CurateOptions {

    @Option(names = "--input", required = true,
            description = "Table to curate (pool or features table with a uid column): a path, or a catalog table CATALOG.DB.NAME.")
    String input;

    @Option(names = "--selection", required = true, description = "A finished select run directory.")
    String selection;

    @Option(names = "--output", required = true,
            description = "Output directory: subset.npy, summary.json and (--format parquet) curated/.")
    String output;

    @Option(names = "--format", defaultValue = "parquet", paramLabel = "parquet|iceberg",
            description = "parquet: curated rows in --output/curated/; iceberg: one snapshot of --table per curate run, its summary"
                    + " naming the select run and its parameters. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--table", paramLabel = "CATALOG.DB.NAME",
            description = "With --format iceberg: the table (created by the first run; each later run adds one snapshot).")
    String table;

    @Option(names = "--warehouse", paramLabel = "URI",
            description = "With --format iceberg: warehouse (file://, s3a://, hdfs://) of an Iceberg Hadoop catalog named CATALOG, used"
                    + " when Spark has no spark.sql.catalog.CATALOG configured. Default: the spark.mgd.iceberg.warehouse setting.")
    String warehouse;

    @Option(names = "--overwrite", description = "Replace an existing output directory.")
    boolean overwrite;

    @Option(names = "--npy",
            description = "Write the DataComp submission of --selection (any select run: MGD or a baseline) instead of curating:"
                    + " --output/subset.npy (sorted u8,u8 uids, streamed from Spark) and --output/submission.json (pool size"
                    + " = --input rows, selected, fraction, method, parameters, command).")
    boolean npy;

    /** Whether {@code --npy} asks for the DataComp submission ({@link Submission}) instead of the curated table. */
    public boolean npy() {
        return npy;
    }

    public CurateParams toParams() {
        return new CurateParams(input, selection, output, overwrite, CurateFormat.parse(format), table, warehouse);
    }
}
