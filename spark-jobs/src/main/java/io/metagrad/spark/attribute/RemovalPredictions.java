package io.metagrad.spark.attribute;

import static org.apache.spark.sql.functions.col;

import io.metagrad.core.attribution.Attribution;
import io.metagrad.core.attribution.RemovalSets;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The LDS predictions of attribution scores, computed by Spark: for every target and removal set,
 * {@code φ_q(1) − Σ_{i∈S} τ_qi} ({@link Attribution#predictAfterRemoval}). Membership is decided
 * item by item ({@link RemovalSets#removes}), each (target, set) pair's scores are brought together
 * and summed in row order — the order the in-memory sum takes — so the predictions are bitwise the
 * library's. Only the {@code targets × sets} sums reach the driver.
 */
final class RemovalPredictions {

    private static final StructType MEMBERS = new StructType(new StructField[] {
        DataTypes.createStructField("row", DataTypes.IntegerType, false),
        DataTypes.createStructField("subset", DataTypes.IntegerType, false),
    });

    /** The summed scores of one (target, set) pair, one per method. */
    private record Change(int output, int subset, double[] change) implements Serializable {}

    private RemovalPredictions() {}

    /**
     * Predictions {@code [method][target][set]}.
     *
     * @param scores columns {@code output, row} and one score column per method, one row per (target, pool item)
     * @param methods the score columns
     * @param values each target's output at all weights 1
     */
    static double[][][] of(SparkSession spark, Dataset<Row> scores, List<String> methods, RemovalSets sets, double[] values) {
        List<Column> columns = new ArrayList<>(List.of(col("output"), col("subset"), col("row")));
        methods.forEach(m -> columns.add(col(m)));
        Dataset<Row> removed = scores.join(members(spark, sets), InfluenceScores.usingColumns("row"))
                .select(columns.toArray(new Column[0]))
                .repartition(col("output"), col("subset"))
                .sortWithinPartitions(col("output"), col("subset"), col("row"));
        spark.sparkContext().setJobDescription("validate: scores summed over " + sets.subsets() + " removal sets");
        List<Change> changes = removed.javaRDD().mapPartitions(RemovalPredictions::sums).collect();
        spark.sparkContext().setJobDescription(null);
        double[][][] change = new double[methods.size()][values.length][sets.subsets()];
        for (Change c : changes) {
            for (int m = 0; m < methods.size(); m++) {
                change[m][c.output()][c.subset()] = c.change()[m];
            }
        }
        double[][][] predicted = new double[methods.size()][values.length][sets.subsets()];
        for (int m = 0; m < methods.size(); m++) {
            for (int q = 0; q < values.length; q++) {
                for (int s = 0; s < sets.subsets(); s++) {
                    predicted[m][q][s] = values[q] + change[m][q][s];
                }
            }
        }
        return predicted;
    }

    /** Columns {@code row, subset}: one row for each item of each removal set. */
    private static Dataset<Row> members(SparkSession spark, RemovalSets sets) {
        JavaRDD<Row> members = spark.range(sets.items()).javaRDD().flatMap(id -> {
            int row = Math.toIntExact(id);
            List<Row> in = new ArrayList<>();
            for (int s = 0; s < sets.subsets(); s++) {
                if (sets.removes(s, row)) {
                    in.add(RowFactory.create(row, s));
                }
            }
            return in.iterator();
        });
        return spark.createDataFrame(members, MEMBERS);
    }

    /** Folds rows sorted by (output, subset, row) into each pair's {@code 0 − τ_1 − τ_2 − …}, per method. */
    private static Iterator<Change> sums(Iterator<Row> rows) {
        if (!rows.hasNext()) {
            return Collections.emptyIterator();
        }
        List<Change> out = new ArrayList<>();
        Row r = rows.next();
        int methods = r.length() - 3;
        while (r != null) {
            int output = r.getInt(0);
            int subset = r.getInt(1);
            double[] change = new double[methods];
            while (r != null && r.getInt(0) == output && r.getInt(1) == subset) {
                for (int m = 0; m < methods; m++) {
                    change[m] -= r.getDouble(3 + m);
                }
                r = rows.hasNext() ? rows.next() : null;
            }
            out.add(new Change(output, subset, change));
        }
        return out.iterator();
    }
}
