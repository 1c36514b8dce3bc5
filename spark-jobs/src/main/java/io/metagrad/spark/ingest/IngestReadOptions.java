package io.metagrad.spark.ingest;

import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * How ingest reads and checks rows (format, tabular columns, label index, bad rows, shards): the options that
 * {@code mgd ingest} and {@code mgd prepare} share. The inputs and outputs are each command's own.
 */
public final class IngestReadOptions {

    @Option(names = "--vector", paramLabel = "NAME=COLS",
            description = "Gather numeric columns into the pool's emb_NAME float array, like VectorAssembler: NAME=f0,f1,f2 "
                    + "in that order, or NAME=f* for every column starting with f in the input's column order (CSV header, "
                    + "Parquet schema; JSONL takes lists only). Cells are int, long, float, double or, in CSV, numeric text; "
                    + "an empty or non-numeric cell is a bad row naming its column. Repeatable.")
    List<String> vectors;

    @Option(names = "--label-column", paramLabel = "COLUMN",
            description = "Take the label from this input column (default: the column named label).")
    String labelColumn;

    @Option(names = "--index-labels",
            description = "Labels are class names (e.g. P, N), not ids: number them with a fitted Spark ML StringIndexer, "
                    + "store the mapping in the table's _metagrad.json (label_index) and show it in mgd show. Empty cells "
                    + "stay unlabeled.")
    boolean indexLabels;

    @Option(names = "--label-order", defaultValue = "frequencyDesc", paramLabel = "ORDER",
            description = "--index-labels: frequencyDesc (most frequent gets id 0), frequencyAsc, alphabetDesc or "
                    + "alphabetAsc, as StringIndexer's stringOrderType; ties in frequency go alphabetically. Default: ${DEFAULT-VALUE}.")
    String labelOrder;

    @Option(names = "--handle-invalid", defaultValue = "error", paramLabel = "error|keep",
            description = "--index-labels: a label of a later split that the pool's index lacks is a bad row naming split, "
                    + "file and row (error), or gets id numLabels (keep, as StringIndexer's handleInvalid). Default: ${DEFAULT-VALUE}.")
    String handleInvalid;

    @Option(names = "--format", defaultValue = "auto", paramLabel = "FORMAT",
            description = "auto (by file name), parquet, jsonl, csv, datacomp (metadata .parquet + .npz embeddings) or table (a catalog table CATALOG.DB.NAME, e.g. Iceberg). Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--shards", defaultValue = "" + IngestParams.DEFAULT_SHARDS, paramLabel = "N",
            description = "Number of Parquet files to write (rows are hashed by uid). Default: ${DEFAULT-VALUE}.")
    int shards;

    @Option(names = "--on-bad", defaultValue = "fail", paramLabel = "fail|quarantine",
            description = "fail: stop at the first bad row, naming file, row and field; quarantine: set bad rows aside in "
                    + "a separate table and report their count. Default: ${DEFAULT-VALUE}.")
    String onBad;

    @Option(names = "--require", split = ",", paramLabel = "FIELD",
            description = "Fields every row must have besides uid, e.g. label,pixels or emb_clip.")
    Set<String> require;

    @Option(names = "--ignore-unknown", description = "Drop input fields that are not pool fields (default: reject them).")
    boolean ignoreUnknown;

    @Option(names = "--allow-empty", description = "Write an empty pool when the inputs hold no rows (default: that is an error).")
    boolean allowEmpty;

    @Option(names = "--keep-column", paramLabel = "NAME",
            description = "With --format datacomp: keep this metadata column (numeric or string, not a pool field) as a typed"
                    + " column of the pool, e.g. for select --score-column (repeat for more). Default: none.")
    List<String> keepColumns;

    /**
     * The validated parameters, reading {@code inputs} or {@code splits} into {@code output}.
     *
     * @param quarantine the quarantine table, or null for its default beside {@code output}
     */
    public IngestParams toParams(List<String> inputs, List<IngestSplit> splits, String output, String quarantine, boolean overwrite) {
        return new IngestParams(inputs, InputFormat.parse(format), output, shards, OnBad.parse(onBad), quarantine, overwrite,
                require == null ? Set.of() : require, ignoreUnknown, allowEmpty, tabular(), splits, keepColumns);
    }

    private TabularColumns tabular() {
        if (!handleInvalid.equals("error") && !handleInvalid.equals("keep")) {
            throw new IllegalArgumentException("ingest --handle-invalid '" + handleInvalid + "' is unknown; use error or keep "
                    + "(skip would drop rows silently)");
        }
        LabelOrder order = LabelOrder.parse(labelOrder);
        boolean keep = handleInvalid.equals("keep");
        if (!indexLabels && (keep || order != LabelOrder.frequencyDesc)) {
            throw new IllegalArgumentException("ingest --label-order and --handle-invalid apply to --index-labels only");
        }
        return new TabularColumns(vectors == null ? List.of() : vectors.stream().map(VectorColumns::parse).toList(), labelColumn,
                indexLabels, order, keep);
    }
}
