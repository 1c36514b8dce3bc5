package io.metagrad.spark.io;

import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Tables named {@code CATALOG.DB.NAME} in a Spark catalog, where a job takes a table location instead of a
 * path. Any catalog Spark is configured with ({@code spark.sql.catalog.CATALOG}: Iceberg's Hive, REST, Glue or
 * Hadoop catalogs, …) is used as configured. A catalog Spark does not know becomes an Iceberg Hadoop catalog
 * at the warehouse given by the job ({@code curate --warehouse}) or by {@value #WAREHOUSE} (also read as
 * {@code spark.}{@value #WAREHOUSE}, the spelling {@code spark-submit --conf} passes): a directory on any
 * Hadoop filesystem ({@code file://}, {@code s3a://}, HDFS), no catalog service needed.
 *
 * <p>A location is a catalog table when it has no {@code /} and no {@code :} and is three or more dot-separated
 * identifiers; anything else is a path (write {@code ./a.b.c} for a relative directory with such a name).
 */
public final class CatalogTables {

    /** Configuration key of the default Hadoop-catalog warehouse. */
    public static final String WAREHOUSE = "mgd.iceberg.warehouse";

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*){2,}");
    private static final String SESSION_CATALOG = "spark_catalog";

    private CatalogTables() {}

    /** Whether {@code location} names a catalog table rather than a path. */
    public static boolean isTableName(String location) {
        return location != null && NAME.matcher(location).matches();
    }

    /** The catalog part of a table name. */
    public static String catalogOf(String table) {
        return table.substring(0, table.indexOf('.'));
    }

    /** The table name without its catalog ({@code DB.NAME}), as Iceberg's procedures take it. */
    public static String withinCatalog(String table) {
        return table.substring(table.indexOf('.') + 1);
    }

    /**
     * Makes sure the catalog of {@code table} exists in {@code spark}: as Spark is configured, or else as an
     * Iceberg Hadoop catalog at {@code warehouse} (null: the {@value #WAREHOUSE} setting).
     *
     * @throws IllegalArgumentException when the catalog is unknown and no warehouse is given
     */
    public static void configure(SparkSession spark, String table, String warehouse) {
        String catalog = catalogOf(table);
        String key = "spark.sql.catalog." + catalog;
        if (catalog.toLowerCase(Locale.ROOT).equals(SESSION_CATALOG) || spark.conf().contains(key)) {
            return;
        }
        String at = warehouse != null ? warehouse
                : spark.conf().get(WAREHOUSE, spark.conf().get("spark." + WAREHOUSE, null));
        if (at == null || at.isBlank()) {
            throw new IllegalArgumentException("table " + table + ": Spark has no catalog '" + catalog + "'; configure "
                    + key + " (any Spark catalog) or give a warehouse for an Iceberg Hadoop catalog (curate --warehouse URI,"
                    + " or --conf spark." + WAREHOUSE + "=URI)");
        }
        spark.conf().set(key, "org.apache.iceberg.spark.SparkCatalog");
        spark.conf().set(key + ".type", "hadoop");
        spark.conf().set(key + ".warehouse", at);
    }

    /** Whether {@code table} exists (its catalog configured first). */
    public static boolean exists(SparkSession spark, String table, String warehouse) {
        configure(spark, table, warehouse);
        return spark.catalog().tableExists(table);
    }

    /** Fails with a {@link FileNotFoundException} cause (exit code 3) naming the option when the table is missing. */
    public static void require(SparkSession spark, String table, String option) {
        if (!exists(spark, table, null)) {
            throw new UncheckedIOException(new FileNotFoundException(option + ": no table " + table));
        }
    }

    /** The table's properties ({@code SHOW TBLPROPERTIES}). */
    public static Map<String, String> properties(SparkSession spark, String table) {
        Map<String, String> out = new LinkedHashMap<>();
        List<Row> rows = spark.sql("SHOW TBLPROPERTIES " + table).collectAsList();
        for (Row r : rows) {
            out.put(r.getString(0), r.getString(1));
        }
        return out;
    }
}
