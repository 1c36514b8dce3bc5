package io.metagrad.spark.attribute;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.metagrad.spark.stream.GradientParts;
import io.metagrad.spark.stream.IndexedPool;
import io.metagrad.spark.train.FeatureRows;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.collection.JavaConverters;

/**
 * Exact-influence scores as Spark tables, from the contributions the tasks wrote: summed per target
 * and item in the order an in-memory run sums them ({@link GradientParts#perItem}), one score for
 * every (target, pool item) pair — 0 for an item no step trained on, as in memory — and the top-k
 * helpful and harmful items per target by a window. Nothing of pool size reaches the driver.
 */
final class InfluenceScores {

    private static final StructType TARGETS = new StructType(new StructField[] {
        DataTypes.createStructField("output", DataTypes.IntegerType, false),
        DataTypes.createStructField("target_uid", DataTypes.StringType, false),
    });

    private InfluenceScores() {}

    /**
     * Columns {@code output, row, target_uid, train_uid, score}: the exact influence of pool item
     * {@code row} on target {@code output} (its index in uid order).
     *
     * @param gradientsDir where the influence tasks wrote their contributions
     */
    static Dataset<Row> of(SparkSession spark, IndexedPool pool, FeatureRows targets, String gradientsDir) {
        Dataset<Row> perItem = GradientParts.perItem(spark, gradientsDir, 1);
        return pairs(spark, pool, targets).join(perItem, usingColumns("output", "row"), "left_outer")
                .select(col("output"), col("row"), col("target_uid"), col("train_uid"), coalesce(col("g"), lit(0.0)).as("score"));
    }

    /** Every (target, pool item) pair: columns {@code output, target_uid, row, train_uid}; the targets are broadcast. */
    static Dataset<Row> pairs(SparkSession spark, IndexedPool pool, FeatureRows targets) {
        List<Row> rows = new ArrayList<>();
        for (int q = 0; q < targets.size(); q++) {
            rows.add(RowFactory.create(q, targets.uid(q)));
        }
        return functions.broadcast(spark.createDataFrame(rows, TARGETS))
                .crossJoin(pool.rows().select(col("row"), col("uid").as("train_uid")));
    }

    /** {@code Seq} of column names, for a join on equally named columns. */
    static scala.collection.Seq<String> usingColumns(String... names) {
        return JavaConverters.asScalaBuffer(List.of(names)).toSeq();
    }

    /**
     * Fails, naming the pair and the knobs, when a score is not finite: training diverged, and the
     * scores would rank nothing.
     */
    static void requireFinite(Dataset<Row> scores, String column) {
        Column bad = col(column).isNaN().or(functions.abs(col(column)).equalTo(Double.POSITIVE_INFINITY));
        List<Row> first = scores.where(bad).select(col("target_uid"), col("train_uid"), col(column)).limit(1).collectAsList();
        if (!first.isEmpty()) {
            Row r = first.get(0);
            throw new IllegalStateException("exact influence of training example " + r.getString(1) + " on target "
                    + r.getString(0) + " is " + r.get(2) + "; training diverged (lower --lr, raise --batch-size or set --grad-clip)");
        }
    }

    /**
     * The {@code top} most helpful (most negative score) and most harmful (most positive) items of
     * every target, ranked 1 = strongest, ties by row (= uid order) as {@code Attribution.topHelpful}
     * breaks them: the columns of {@code Table.ATTRIBUTION_TOP}.
     */
    static Dataset<Row> top(Dataset<Row> scores, int top) {
        return ranked(scores, "helpful", col("score").asc(), top).unionAll(ranked(scores, "harmful", col("score").desc(), top));
    }

    private static Dataset<Row> ranked(Dataset<Row> scores, String kind, Column order, int top) {
        WindowSpec window = Window.partitionBy(col("output")).orderBy(order, col("row").asc());
        return scores.withColumn("rank", functions.row_number().over(window)).where(col("rank").leq(top))
                .select(col("target_uid"), lit(kind).as("kind"), col("rank"), col("train_uid"), col("score"));
    }
}
