package io.metagrad.spark.ingest;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads input files of one format into {@link CheckedRows} (one per record, problems flagged). */
interface IngestSource {

    /**
     * @param session a session that reads every file as one task, in order (see IngestJob), so
     *                that rows can be numbered within their file
     */
    Dataset<Row> read(SparkSession session, List<String> files, CheckRules rules);

    /** Column names the input has that are not pool fields and will be dropped (for the report). */
    default List<String> ignoredColumns() {
        return List.of();
    }

    /** The {@code --vector}/label columns as resolved against the input read last (prefixes expanded). */
    default TabularColumns resolved() {
        return TabularColumns.NONE;
    }

    /** The metadata columns kept as typed pool columns ({@code --keep-column}), known once {@link #read} has run. */
    default List<org.apache.spark.sql.types.StructField> keptColumns() {
        return List.of();
    }

    /** @param keep the metadata columns to keep ({@code --keep-column}; DataComp only, checked by the caller) */
    static IngestSource of(InputFormat format, List<String> keep) {
        return switch (format) {
            case JSONL -> new JsonlSource();
            case CSV -> new CsvSource();
            case PARQUET -> new ParquetSource(false);
            case DATACOMP -> ParquetSource.dataComp(keep);
            case TABLE -> ParquetSource.catalogTable();
            case AUTO -> throw new IllegalStateException("format not resolved");
        };
    }
}
