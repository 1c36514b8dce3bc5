package io.metagrad.spark.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import io.metagrad.spark.schema.Table;
import io.metagrad.spark.schema.TableSchemas;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Reads and writes features tables ({@link Table#FEATURES}, {@link Table#TARGETS}): Parquet
 * directories with the features v1 schema and a {@code _metagrad.json}. Reads also take a catalog table
 * {@code CATALOG.DB.NAME} (e.g. Iceberg) wherever they take a path ({@link TableSource}).
 */
public final class FeatureTables {

    private FeatureTables() {}

    /**
     * Reads a features or target table and collects it on the driver, checking every row first
     * ({@link #checked}). For tables that fit on the driver (targets, test sets); a pool is read with
     * {@link #checked} and processed by Spark.
     *
     * @throws IllegalArgumentException naming the file, row (counted from 1) and field at fault
     */
    public static FeatureMatrix read(SparkSession spark, String path) {
        List<Row> rows = checked(spark, path).select(col("uid"), col("features"), col("label"), col("target")).collectAsList();
        int n = rows.size();
        String[] uids = new String[n];
        double[][] features = new double[n][];
        int[] labels = new int[n];
        double[][] targets = new double[n][];
        boolean anyTarget = false;
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            uids[i] = r.getString(0);
            features[i] = doubles(r.getList(1));
            labels[i] = r.isNullAt(2) ? -1 : r.getInt(2);
            targets[i] = r.isNullAt(3) ? null : doubles(r.getList(3));
            anyTarget |= targets[i] != null;
        }
        return new FeatureMatrix(uids, features, labels, anyTarget ? targets : null);
    }

    /**
     * The table with {@code _file} and {@code _row} columns ({@link #positioned}), once Spark has
     * checked every row without collecting any: uid present and unique, features present, finite and of
     * one length, label null or {@code >= 0}, target absent on every row or present, finite and of one
     * length on every row. Two passes over a good table (one summary, one for duplicates); the first bad
     * row by file and row is named.
     *
     * @throws IllegalArgumentException naming the file, row (counted from 1) and field at fault
     */
    public static Dataset<Row> checked(SparkSession spark, String path) {
        Dataset<Row> rows = checkedValues(spark, path);
        Column position = functions.struct(col("_file"), col("_row"));
        // The first row (by position) whose uid an earlier row already has, and that earlier row.
        Row duplicate = rows.groupBy(col("uid")).agg(functions.sort_array(functions.collect_list(position)).as("at"))
                .where(functions.size(col("at")).gt(1))
                .select(col("uid"), col("at").getItem(0).as("first"), col("at").getItem(1).as("second"))
                .orderBy(col("second")).limit(1).collectAsList().stream().findFirst().orElse(null);
        if (duplicate != null) {
            Row second = duplicate.getStruct(2);
            Row firstSeen = duplicate.getStruct(1);
            throw bad(second.getString(0) + " row " + (second.getLong(1) + 1), "uid", "'" + duplicate.getString(0)
                    + "' duplicates " + firstSeen.getString(0) + " row " + (firstSeen.getLong(1) + 1));
        }
        return rows;
    }

    /**
     * As {@link #checked} but for uniqueness, which a caller that sorts by uid anyway checks cheaper
     * itself ({@link #duplicateUid} names the culprit): one summary pass over a good table.
     */
    public static Dataset<Row> checkedValues(SparkSession spark, String path) {
        Dataset<Row> rows = positioned(spark, path);
        Column position = functions.struct(col("_file"), col("_row"));
        Column badValue = col("uid").isNull().or(col("features").isNull())
                .or(expr("exists(features, x -> x IS NULL OR isnan(x) OR abs(x) = double('inf'))")).or(col("label").lt(0))
                .or(expr("target IS NOT NULL AND exists(target, x -> x IS NULL OR isnan(x) OR abs(x) = double('inf'))"));
        Row summary = rows.agg(functions.count(functions.lit(1)), functions.min(functions.when(badValue, position)),
                functions.min(functions.size(col("features"))), functions.max(functions.size(col("features"))),
                functions.count(col("target")), functions.min(functions.size(col("target"))),
                functions.max(functions.size(col("target")))).first();
        if (summary.getLong(0) == 0) {
            return rows;
        }
        if (!summary.isNullAt(1)) {
            Row at = summary.getStruct(1);
            throw valueProblem(first(rows.where(col("_file").equalTo(at.getString(0)).and(col("_row").equalTo(at.getLong(1))))));
        }
        if (summary.getInt(2) != summary.getInt(3)) {
            Row head = first(rows);
            int width = head.getList(1).size();
            Row ragged = first(rows.where(functions.size(col("features")).notEqual(width)));
            throw bad(where(ragged), "features", "has length " + ragged.getList(1).size() + ", but " + where(head) + " has " + width);
        }
        long withTargets = summary.getLong(4);
        if (withTargets > 0 && withTargets < summary.getLong(0)) {
            Row withTarget = first(rows.where(col("target").isNotNull()));
            Row missing = first(rows.where(col("target").isNull()));
            throw bad(where(missing), "target",
                    "is null, but " + where(withTarget) + " has one (target must be on every row or on none)");
        }
        if (withTargets > 0 && summary.getInt(5) != summary.getInt(6)) {
            Row withTarget = first(rows.where(col("target").isNotNull()));
            int targetWidth = withTarget.getList(3).size();
            Row raggedTarget = first(rows.where(functions.size(col("target")).notEqual(targetWidth)));
            throw bad(where(raggedTarget), "target", "has length " + raggedTarget.getList(3).size() + ", but "
                    + where(withTarget) + " has " + targetWidth);
        }
        return rows;
    }

    /** The error naming the first two rows (by file and position) of the table at {@code path} that share {@code uid}. */
    public static IllegalArgumentException duplicateUid(SparkSession spark, String path, String uid) {
        List<Row> at = positioned(spark, path).where(col("uid").equalTo(uid)).select(col("_file"), col("_row"))
                .orderBy(col("_file"), col("_row")).limit(2).collectAsList();
        return bad(at.get(1).getString(0) + " row " + (at.get(1).getLong(1) + 1), "uid", "'" + uid + "' duplicates "
                + at.get(0).getString(0) + " row " + (at.get(0).getLong(1) + 1));
    }

    /** The first row by file and position, or null; columns uid, features, label, target, _file, _row. */
    private static Row first(Dataset<Row> rows) {
        List<Row> head = rows.select(col("uid"), col("features"), col("label"), col("target"), col("_file"), col("_row"))
                .orderBy(col("_file"), col("_row")).limit(1).collectAsList();
        return head.isEmpty() ? null : head.get(0);
    }

    private static String where(Row r) {
        return r.getString(4) + " row " + (r.getLong(5) + 1);
    }

    /** The message for a row that breaks a value rule (null uid or features, non-finite value, negative label). */
    private static IllegalArgumentException valueProblem(Row r) {
        String where = where(r);
        if (r.isNullAt(0)) {
            return bad(where, "uid", "is null");
        }
        if (r.isNullAt(1)) {
            return bad(where, "features", "is null");
        }
        finite(r.getList(1), where, "features");
        if (!r.isNullAt(2) && r.getInt(2) < 0) {
            return bad(where, "label", "is " + r.getInt(2) + "; class ids are >= 0 (null means unlabeled)");
        }
        if (!r.isNullAt(3)) {
            finite(r.getList(3), where, "target");
        }
        throw new IllegalStateException("row " + where + " was flagged but breaks no rule");
    }

    private static double[] doubles(List<Object> values) {
        double[] out = new double[values.size()];
        for (int j = 0; j < out.length; j++) {
            out[j] = ((Number) values.get(j)).doubleValue();
        }
        return out;
    }

    /**
     * The validated table as a Dataset with two more columns: {@code _file} (the Parquet file
     * a row came from) and {@code _row} (its 0-based index within that file).
     */
    public static Dataset<Row> positioned(SparkSession spark, String path) {
        TableSource.requireSchema(spark, path, Table.FEATURES, Table.TARGETS);
        return TableSource.positioned(spark, Table.FEATURES, path);
    }

    /** Reads a features or target table as a validated Dataset (schema checks only; no row checks). */
    public static Dataset<Row> dataset(SparkSession spark, String path) {
        TableSource.requireSchema(spark, path, Table.FEATURES, Table.TARGETS);
        return TableSource.read(spark, Table.FEATURES, path);
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
