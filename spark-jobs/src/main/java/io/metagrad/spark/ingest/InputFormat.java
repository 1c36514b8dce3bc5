package io.metagrad.spark.ingest;

import java.util.List;
import java.util.Locale;

/** The input formats {@code mgd ingest} reads. */
public enum InputFormat {
    /** Choose by file name: {@code .parquet}, {@code .jsonl}/{@code .json}, {@code .csv} (optionally {@code .gz}). */
    AUTO(List.of()),
    /** Parquet files whose columns are pool fields (types are checked value by value). */
    PARQUET(List.of(".parquet")),
    /** One JSON object per line (blank lines are skipped); images as base64 strings. */
    JSONL(List.of(".jsonl", ".json", ".jsonl.gz", ".json.gz")),
    /** CSV with a header row naming pool fields; vectors as "[0.1, 0.2]" or "0.1 0.2"; images as base64. */
    CSV(List.of(".csv", ".csv.gz")),
    /**
     * DataComp-style shards: {@code NAME.parquet} metadata (uid, url, text; other columns are
     * ignored) with {@code NAME.npz} beside it whose arrays (row-aligned with the Parquet rows)
     * become {@code emb_<array name>} columns.
     */
    DATACOMP(List.of(".parquet")),
    /**
     * A catalog table {@code CATALOG.DB.NAME} (e.g. Iceberg; see {@link io.metagrad.spark.io.CatalogTables}), read
     * like Parquet: rows are numbered by their position in the table's data files.
     */
    TABLE(List.of());

    private final List<String> suffixes;

    InputFormat(List<String> suffixes) {
        this.suffixes = suffixes;
    }

    /** File name endings of this format (for listing directories). */
    public List<String> suffixes() {
        return suffixes;
    }

    boolean matches(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return suffixes.stream().anyMatch(lower::endsWith);
    }

    /** The format a file name says, or null. */
    static InputFormat ofFileName(String fileName) {
        for (InputFormat f : List.of(PARQUET, JSONL, CSV)) {
            if (f.matches(fileName)) {
                return f;
            }
        }
        return null;
    }

    /** Parses a format name, case-insensitively. */
    public static InputFormat parse(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ingest --format '" + name + "' is unknown; use auto, parquet, jsonl, csv, datacomp or table");
        }
    }
}
