package io.metagrad.spark.select;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Reads a features table (schema {@code features/v1}: {@code uid string not null},
 * {@code features array<float> not null}, {@code label int}, {@code target array<float>}) into
 * arrays on the driver.
 *
 * <p>This is the seam to {@code io.metagrad.spark.io.FeatureTables}, built on another branch: when
 * that is merged, {@link #read} becomes a call to {@code FeatureTables.read} converted to
 * {@link Matrix} (the records have the same components), and nothing else in select changes.
 */
final class FeatureInput {

    private FeatureInput() {}

    /**
     * A features table on the driver; the same components as {@code FeatureMatrix}.
     *
     * @param labels class ids, -1 where null
     * @param targets target vectors, or null when the table has no {@code target} values
     */
    record Matrix(String[] uids, double[][] features, int[] labels, double[][] targets) {}

    /** Reads and checks the features table at {@code path}; errors name the path, the row's uid and the field. */
    static Matrix read(SparkSession spark, String path) {
        Dataset<Row> table = spark.read().parquet(path);
        StructType schema = table.schema();
        requireType(schema, path, "uid", DataTypes.StringType, true);
        requireType(schema, path, "features", DataTypes.createArrayType(DataTypes.FloatType), true);
        boolean hasLabel = requireType(schema, path, "label", DataTypes.IntegerType, false);
        boolean hasTarget = requireType(schema, path, "target", DataTypes.createArrayType(DataTypes.FloatType), false);
        Dataset<Row> columns = table.select(
                functions.col("uid"),
                functions.col("features"),
                hasLabel ? functions.col("label") : functions.lit(null).cast(DataTypes.IntegerType),
                hasTarget ? functions.col("target") : functions.lit(null).cast(DataTypes.createArrayType(DataTypes.FloatType)));
        List<Row> rows = columns.collectAsList();
        int n = rows.size();
        String[] uids = new String[n];
        double[][] features = new double[n][];
        int[] labels = new int[n];
        double[][] targets = new double[n][];
        boolean anyTarget = false;
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            if (r.isNullAt(0)) {
                throw new IllegalArgumentException("features table " + path + " row " + i + ": field 'uid' is null");
            }
            uids[i] = r.getString(0);
            if (r.isNullAt(1)) {
                throw new IllegalArgumentException("features table " + path + " uid " + uids[i] + ": field 'features' is null");
            }
            features[i] = vector(r.getList(1), path, uids[i], "features");
            labels[i] = r.isNullAt(2) ? -1 : r.getInt(2);
            if (!r.isNullAt(2) && labels[i] < 0) {
                throw new IllegalArgumentException("features table " + path + " uid " + uids[i] + ": field 'label' = "
                        + labels[i] + " invalid; must be >= 0");
            }
            if (!r.isNullAt(3)) {
                targets[i] = vector(r.getList(3), path, uids[i], "target");
                anyTarget = true;
            }
        }
        return new Matrix(uids, features, labels, anyTarget ? targets : null);
    }

    private static boolean requireType(StructType schema, String path, String name, DataType type, boolean required) {
        if (!Arrays.asList(schema.fieldNames()).contains(name)) {
            if (required) {
                throw new IllegalArgumentException("features table " + path + ": field '" + name + "' is missing; "
                        + "features/v1 requires it (" + type.simpleString() + ")");
            }
            return false;
        }
        DataType found = schema.apply(name).dataType();
        boolean same = found instanceof ArrayType a && type instanceof ArrayType b
                ? a.elementType().equals(b.elementType())
                : found.equals(type);
        if (!same) {
            throw new IllegalArgumentException("features table " + path + ": field '" + name + "' has type "
                    + found.simpleString() + "; features/v1 requires " + type.simpleString());
        }
        return true;
    }

    private static double[] vector(List<Object> values, String path, String uid, String field) {
        double[] v = new double[values.size()];
        for (int j = 0; j < v.length; j++) {
            Object x = values.get(j);
            if (x == null || !Float.isFinite((Float) x)) {
                throw new IllegalArgumentException("features table " + path + " uid " + uid + ": field '" + field + "'["
                        + j + "] = " + x + "; must be finite");
            }
            v[j] = (Float) x;
        }
        return v;
    }
}
