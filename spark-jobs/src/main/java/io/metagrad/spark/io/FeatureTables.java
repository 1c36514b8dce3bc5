package io.metagrad.spark.io;

import static org.apache.spark.sql.functions.col;

import io.metagrad.spark.schema.Table;
import io.metagrad.spark.schema.TableSchemas;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads and writes features tables ({@link Table#FEATURES}, {@link Table#TARGETS}): Parquet
 * directories with the features v1 schema and a {@code _metagrad.json}.
 */
public final class FeatureTables {

    private FeatureTables() {}

    /**
     * Reads a features or target table and collects it on the driver, checking every row: uid
     * present and unique, features present, finite and of one length, label null or {@code >= 0},
     * target absent on every row or present, finite and of one length on every row.
     *
     * @throws IllegalArgumentException naming the file, row (counted from 1) and field at fault
     */
    public static FeatureMatrix read(SparkSession spark, String path) {
        List<Row> rows = positioned(spark, path)
                .select(col("uid"), col("features"), col("label"), col("target"), col("_file"), col("_row"))
                .collectAsList();
        int n = rows.size();
        String[] uids = new String[n];
        double[][] features = new double[n][];
        int[] labels = new int[n];
        double[][] targets = new double[n][];
        Map<String, String> firstSeen = new HashMap<>();
        String dimFrom = null;
        String targetFrom = null;
        int targetRows = 0;
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            String where = r.getString(4) + " row " + (r.getLong(5) + 1);
            if (r.isNullAt(0)) {
                throw bad(where, "uid", "is null");
            }
            uids[i] = r.getString(0);
            String previous = firstSeen.putIfAbsent(uids[i], where);
            if (previous != null) {
                throw bad(where, "uid", "'" + uids[i] + "' duplicates " + previous);
            }
            if (r.isNullAt(1)) {
                throw bad(where, "features", "is null");
            }
            features[i] = finite(r.getList(1), where, "features");
            if (i > 0 && features[i].length != features[0].length) {
                throw bad(where, "features", "has length " + features[i].length + ", but " + dimFrom + " has "
                        + features[0].length);
            }
            dimFrom = dimFrom == null ? where : dimFrom;
            labels[i] = r.isNullAt(2) ? -1 : r.getInt(2);
            if (!r.isNullAt(2) && labels[i] < 0) {
                throw bad(where, "label", "is " + labels[i] + "; class ids are >= 0 (null means unlabeled)");
            }
            if (!r.isNullAt(3)) {
                targets[i] = finite(r.getList(3), where, "target");
                if (targetFrom != null && targets[i].length != targets[firstTarget(targets)].length) {
                    throw bad(where, "target", "has length " + targets[i].length + ", but " + targetFrom + " has "
                            + targets[firstTarget(targets)].length);
                }
                targetFrom = targetFrom == null ? where : targetFrom;
                targetRows++;
            }
        }
        if (targetRows != 0 && targetRows != n) {
            int missing = 0;
            while (targets[missing] != null) {
                missing++;
            }
            Row r = rows.get(missing);
            throw bad(r.getString(4) + " row " + (r.getLong(5) + 1), "target",
                    "is null, but " + targetFrom + " has one (target must be on every row or on none)");
        }
        return new FeatureMatrix(uids, features, labels, targetRows == 0 ? null : targets);
    }

    /**
     * The validated table as a Dataset with two more columns: {@code _file} (the Parquet file
     * a row came from) and {@code _row} (its 0-based index within that file).
     */
    public static Dataset<Row> positioned(SparkSession spark, String path) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        TableManifest.requireSchema(path, hadoop, Table.FEATURES, Table.TARGETS);
        Dataset<Row> raw = spark.read().parquet(path);
        Dataset<Row> valid = TableSchemas.validate(raw, Table.FEATURES, path);
        return valid.withColumn("_file", col("_metadata.file_path")).withColumn("_row", col("_metadata.row_index"));
    }

    /** Reads a features or target table as a validated Dataset (schema checks only; no row checks). */
    public static Dataset<Row> dataset(SparkSession spark, String path) {
        TableManifest.requireSchema(path, spark.sparkContext().hadoopConfiguration(), Table.FEATURES, Table.TARGETS);
        return TableSchemas.read(spark, Table.FEATURES, path);
    }

    /**
     * Writes {@code rows} (features v1 columns, validated here) as a table at {@code path}, all at
     * once, with {@code manifest} beside it ({@code row_count} is filled in).
     */
    public static long write(Dataset<Row> rows, String path, boolean overwrite, TableManifest manifest) {
        return write(rows, path, overwrite, manifest, staging -> { });
    }

    /**
     * As {@link #write(Dataset, String, boolean, TableManifest)}, and lets {@code beforeCommit} add
     * files to the staging directory (e.g. a fitted model under {@code _featurizer/}).
     */
    public static long write(Dataset<Row> rows, String path, boolean overwrite, TableManifest manifest,
            java.util.function.Consumer<String> beforeCommit) {
        Dataset<Row> valid = TableSchemas.validate(rows, Table.FEATURES, path);
        Configuration hadoop = rows.sparkSession().sparkContext().hadoopConfiguration();
        AtomicOutput out = AtomicOutput.to(path, hadoop, overwrite);
        try {
            valid.write().parquet(out.stagingPath());
            beforeCommit.accept(out.stagingPath());
            long count = ParquetFiles.rowCount(out.stagingPath(), hadoop);
            manifest.rowCount(count).writeTo(out.stagingPath(), hadoop);
            out.commit();
            return count;
        } catch (Exception e) { // also SparkException, a checked exception Scala throws unchecked
            out.abort();
            throw e;
        }
    }

    private static int firstTarget(double[][] targets) {
        int i = 0;
        while (targets[i] == null) {
            i++;
        }
        return i;
    }

    private static double[] finite(List<Object> values, String where, String field) {
        double[] out = new double[values.size()];
        for (int j = 0; j < out.length; j++) {
            Object v = values.get(j);
            if (v == null) {
                throw bad(where, field, "has a null at index " + j);
            }
            out[j] = ((Number) v).doubleValue();
            if (!Double.isFinite(out[j])) {
                throw bad(where, field, "has " + out[j] + " at index " + j);
            }
        }
        return out;
    }

    private static IllegalArgumentException bad(String where, String field, String what) {
        return new IllegalArgumentException("features table " + where + " field '" + field + "' " + what);
    }
}
