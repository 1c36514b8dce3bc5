package io.metagrad.spark.curate;

import static org.apache.spark.sql.functions.lit;

import io.metagrad.spark.io.CatalogTables;
import io.metagrad.spark.io.TableSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.DataFrameWriterV2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;

/**
 * Commits curated rows to an Iceberg table as exactly one snapshot per curate run, replacing the table's rows,
 * with the select run in the snapshot summary ({@code metagrad.*} keys). Earlier selections stay in the table's
 * history: {@code SELECT … VERSION AS OF <snapshot>} reads one, {@code EXCEPT} between two versions diffs them,
 * {@code CALL <catalog>.system.rollback_to_snapshot(…)} brings one back.
 *
 * <p>The table is created by the first run (properties {@code metagrad.stage=curate} and the input's schema id);
 * a table without that property is never written. A rerun whose select run is already the table's current
 * snapshot (same {@link #RUN_ID}) commits nothing, so a curate run that died after its snapshot can be rerun.
 */
final class IcebergCuration {

    /** Snapshot summary key of the select run's id ({@link SelectRunId}). */
    static final String RUN_ID = "metagrad.select-run-id";
    /** Table property marking a table made by curate. */
    static final String STAGE = "metagrad.stage";

    /**
     * The snapshot holding a curate run's rows.
     *
     * @param committed false when the table's current snapshot already held this select run (nothing was written)
     */
    record Snapshot(String table, long snapshotId, boolean committed) {}

    private IcebergCuration() {}

    /** Fails now, before any work, when {@code table} exists but was not made by curate. */
    static boolean checkTarget(SparkSession spark, String table, String warehouse) {
        if (!CatalogTables.exists(spark, table, warehouse)) {
            return false;
        }
        if (!"curate".equals(CatalogTables.properties(spark, table).get(STAGE))) {
            throw new IllegalArgumentException("table " + table + " exists and was not made by mgd curate (no " + STAGE
                    + "=curate property); curate writes only its own tables: choose another --table");
        }
        return true;
    }

    /** Replaces the table's rows with {@code curated} in one snapshot whose summary holds {@code summary}. */
    static Snapshot commit(SparkSession spark, Dataset<Row> curated, String table, String warehouse, String schemaId,
            Map<String, String> summary) {
        boolean exists = checkTarget(spark, table, warehouse);
        if (exists) {
            Optional<Long> current = currentSnapshot(spark, table);
            if (current.isPresent() && summary.get(RUN_ID).equals(snapshotSummary(spark, table, current.get()).get(RUN_ID))) {
                return new Snapshot(table, current.get(), false);
            }
        } else {
            String namespace = table.substring(0, table.lastIndexOf('.'));
            if (namespace.indexOf('.') > 0) {
                spark.sql("CREATE NAMESPACE IF NOT EXISTS " + namespace);
            }
            spark.sql("CREATE TABLE " + table + " (" + curated.schema().toDDL() + ") USING iceberg TBLPROPERTIES ('" + STAGE
                    + "' = 'curate', '" + TableSource.SCHEMA_PROPERTY + "' = '" + schemaId.replace("'", "") + "')");
        }
        DataFrameWriterV2<Row> writer = curated.writeTo(table);
        summary.forEach((k, v) -> writer.option("snapshot-property." + k, v));
        try {
            writer.overwrite(lit(true));
        } catch (NoSuchTableException e) {
            throw new IllegalStateException("table " + table + " disappeared while curate wrote it", e);
        }
        return new Snapshot(table, currentSnapshot(spark, table).orElseThrow(), true);
    }

    /** The snapshot the table's {@code main} branch points at, if any. */
    static Optional<Long> currentSnapshot(SparkSession spark, String table) {
        List<Row> rows = spark.sql("SELECT snapshot_id FROM " + table + ".refs WHERE name = 'main'").collectAsList();
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0).getLong(0));
    }

    /** The summary of one snapshot. */
    static Map<String, String> snapshotSummary(SparkSession spark, String table, long snapshot) {
        List<Row> rows = spark.sql("SELECT summary FROM " + table + ".snapshots WHERE snapshot_id = " + snapshot).collectAsList();
        return rows.isEmpty() ? Map.of() : rows.get(0).getJavaMap(0);
    }
}
