package io.metagrad.spark.io;

import static org.apache.spark.sql.functions.col;

import io.metagrad.spark.schema.Table;
import io.metagrad.spark.schema.TableSchemas;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Where a job reads a table from: a Parquet directory (any Hadoop path or URI: {@code file://}, {@code s3a://},
 * HDFS) or a catalog table {@code CATALOG.DB.NAME} ({@link CatalogTables}). Rows keep the position they came
 * from — the data file and the 0-based row within it — so that errors can name them either way.
 */
public final class TableSource {

    /** Table property a metagrad job sets on the catalog tables it creates: the schema id, as in {@code _metagrad.json}. */
    public static final String SCHEMA_PROPERTY = "metagrad.schema";

    private TableSource() {}

    /** The rows as stored (no schema checks). */
    public static Dataset<Row> rows(SparkSession spark, String location) {
        return CatalogTables.isTableName(location) ? catalogTable(spark, location) : spark.read().parquet(location);
    }

    /** The rows validated against {@code table}'s schema ({@link TableSchemas#validate}). */
    public static Dataset<Row> read(SparkSession spark, Table table, String location) {
        return TableSchemas.validate(rows(spark, location), table, location);
    }

    /**
     * The validated rows with two more columns: {@code _file} (the data file a row came from) and {@code _row}
     * (its 0-based index within that file): Spark's {@code _metadata} of a Parquet directory, Iceberg's
     * {@code _file} and {@code _pos} metadata columns of a catalog table.
     */
    public static Dataset<Row> positioned(SparkSession spark, Table table, String location) {
        Dataset<Row> valid = read(spark, table, location);
        return CatalogTables.isTableName(location)
                ? valid.withColumn("_file", col("_file")).withColumn("_row", col("_pos"))
                : valid.withColumn("_file", col("_metadata.file_path")).withColumn("_row", col("_metadata.row_index"));
    }

    /** Fails with exit code 3 naming {@code option} when nothing is at {@code location}. */
    public static void require(SparkSession spark, String location, String option) {
        if (CatalogTables.isTableName(location)) {
            CatalogTables.require(spark, location, option);
        } else {
            Inputs.requireTable(location, option, spark.sparkContext().hadoopConfiguration());
        }
    }

    /** The schema id the table declares: its {@code _metagrad.json}'s, or its {@value #SCHEMA_PROPERTY} property. */
    public static Optional<String> schemaId(SparkSession spark, String location) {
        if (CatalogTables.isTableName(location)) {
            return Optional.ofNullable(CatalogTables.properties(spark, location).get(SCHEMA_PROPERTY));
        }
        return TableManifest.read(location, spark.sparkContext().hadoopConfiguration())
                .filter(m -> m.has("schema")).map(m -> m.get("schema").getAsString());
    }

    /** Checks that the table, if it declares a schema, is one of {@code accepted} in this build's version. */
    public static void requireSchema(SparkSession spark, String location, Table... accepted) {
        if (CatalogTables.isTableName(location)) {
            TableManifest.requireSchema(location, schemaId(spark, location).orElse(null), accepted);
        } else {
            TableManifest.requireSchema(location, spark.sparkContext().hadoopConfiguration(), accepted);
        }
    }

    private static Dataset<Row> catalogTable(SparkSession spark, String table) {
        CatalogTables.configure(spark, table, null);
        return spark.table(table);
    }
}
