package io.metagrad.spark.curate;

import io.metagrad.spark.io.CatalogTables;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parameters of the curate job.
 *
 * @param input the table to curate: the pool or its features table (any Parquet table, or catalog table
 *     {@code CATALOG.DB.NAME}, with a unique {@code uid} column); the curated rows keep its columns
 * @param selection a finished select run directory (its {@code selection/}, {@code metrics.jsonl})
 * @param output directory to write: {@code subset.npy}, {@code summary.json} and, for {@link CurateFormat#PARQUET},
 *     {@code curated/}; committed at once
 * @param overwrite replace an existing output directory; default false
 * @param format where the curated rows go; default {@link CurateFormat#PARQUET}
 * @param table for {@link CurateFormat#ICEBERG}: the table {@code CATALOG.DB.NAME}, created by the first curate run
 *     and given one new snapshot by every later one; null otherwise
 * @param warehouse for {@link CurateFormat#ICEBERG}: warehouse of an Iceberg Hadoop catalog named {@code CATALOG}
 *     when Spark has no such catalog configured (see {@link CatalogTables}); null: Spark's catalog or the
 *     {@value CatalogTables#WAREHOUSE} setting
 */
public record CurateParams(String input, String selection, String output, boolean overwrite, CurateFormat format,
        String table, String warehouse) {

    public CurateParams {
        require("curate.input", input);
        require("curate.selection", selection);
        require("curate.output", output);
        format = format == null ? CurateFormat.PARQUET : format;
        if (format == CurateFormat.ICEBERG && !CatalogTables.isTableName(table)) {
            throw new IllegalArgumentException("curate --format iceberg needs --table CATALOG.DB.NAME"
                    + (table == null ? "" : " (got '" + table + "')"));
        }
        if (format == CurateFormat.PARQUET && (table != null || warehouse != null)) {
            throw new IllegalArgumentException("curate --table and --warehouse go with --format iceberg");
        }
    }

    /** Parquet output under {@code output/curated/}. */
    public CurateParams(String input, String selection, String output, boolean overwrite) {
        this(input, selection, output, overwrite, CurateFormat.PARQUET, null, null);
    }

    /** The same run with the curated rows committed to the Iceberg table {@code table}. */
    public CurateParams toIceberg(String table, String warehouse) {
        return new CurateParams(input, selection, output, overwrite, CurateFormat.ICEBERG, table, warehouse);
    }

    private static void require(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required (a path or URI)");
        }
    }

    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input", input);
        m.put("selection", selection);
        m.put("output", output);
        m.put("overwrite", overwrite);
        m.put("format", format.cliName());
        m.put("table", table);
        m.put("warehouse", warehouse);
        return m;
    }
}
