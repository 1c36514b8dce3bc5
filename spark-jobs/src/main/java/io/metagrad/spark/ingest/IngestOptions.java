package io.metagrad.spark.ingest;

import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** The options of {@code mgd ingest} (shared by the CLI command and {@link IngestJob#main}). */
public final class IngestOptions {

    @Option(names = "--input", required = true, split = ",", paramLabel = "PATH",
            description = "Input file, directory or glob (repeat or separate with commas), or one catalog table CATALOG.DB.NAME.")
    List<String> inputs;

    @Option(names = "--format", defaultValue = "auto", paramLabel = "FORMAT",
            description = "auto (by file name), parquet, jsonl, csv, datacomp (metadata .parquet + .npz embeddings) or table (a catalog table CATALOG.DB.NAME, e.g. Iceberg). Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "The pool table to write.")
    String output;

    @Option(names = "--shards", defaultValue = "" + IngestParams.DEFAULT_SHARDS, paramLabel = "N",
            description = "Number of Parquet files to write (rows are hashed by uid). Default: ${DEFAULT-VALUE}.")
    int shards;

    @Option(names = "--on-bad", defaultValue = "fail", paramLabel = "fail|quarantine",
            description = "fail: stop at the first bad row, naming file, row and field; quarantine: set bad rows aside in "
                    + "a separate table and report their count. Default: ${DEFAULT-VALUE}.")
    String onBad;

    @Option(names = "--quarantine", paramLabel = "DIR", description = "Quarantine table (default: <output>_quarantine).")
    String quarantine;

    @Option(names = "--require", split = ",", paramLabel = "FIELD",
            description = "Fields every row must have besides uid, e.g. label,pixels or emb_clip.")
    Set<String> require;

    @Option(names = "--ignore-unknown", description = "Drop input fields that are not pool fields (default: reject them).")
    boolean ignoreUnknown;

    @Option(names = "--overwrite", description = "Replace existing output tables.")
    boolean overwrite;

    @Option(names = "--allow-empty", description = "Write an empty pool when the inputs hold no rows (default: that is an error).")
    boolean allowEmpty;

    @Option(names = "--keep-column", paramLabel = "NAME",
            description = "With --format datacomp: keep this metadata column (numeric or string, not a pool field) as a typed"
                    + " column of the pool, e.g. for select --score-column (repeat for more). Default: none.")
    List<String> keepColumns;

    /** The validated parameters. */
    public IngestParams toParams() {
        return new IngestParams(inputs, InputFormat.parse(format), output, shards, OnBad.parse(onBad), quarantine, overwrite,
                require == null ? Set.of() : require, ignoreUnknown, allowEmpty, keepColumns);
    }
}
