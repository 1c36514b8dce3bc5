package io.metagrad.spark.select;

import static org.apache.spark.sql.functions.asc;
import static org.apache.spark.sql.functions.asc_nulls_last;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.desc;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Turns the counts of the best iterate into the selection: the uids with count &gt; 0, ranked by
 * count (descending), then metagradient (ascending: more negative = more helpful to upweight),
 * then uid. A budget keeps exactly that many items (so MGD is compared with other methods at the
 * same size): the first ranks, and when MGD kept fewer, the items it dropped fill the rest, most
 * helpful metagradient first, each with count 1.
 */
final class Selection {

    private Selection() {}

    /**
     * How much to keep at the end: at most {@code count} items, or at most {@code fraction·pool} by the
     * one budget rule of every method ({@link io.metagrad.core.selection.Budget#ofPool}); neither set
     * keeps every item with count &gt; 0.
     */
    record Budget(long count, double fraction) {
        Budget {
            if (count < 0) {
                throw new IllegalArgumentException("select.keep = " + count + " invalid; must be >= 0 (0 = no limit)");
            }
            if (!(fraction >= 0 && fraction <= 1)) {
                throw new IllegalArgumentException("select.keepFraction = " + fraction + " invalid; must be in [0, 1] (0 = no limit)");
            }
            if (count > 0 && fraction > 0) {
                throw new IllegalArgumentException("give --keep or --keep-fraction, not both");
            }
        }

        static Budget none() {
            return new Budget(0, 0);
        }

        long limit(long poolSize) {
            if (count > 0) {
                return count;
            }
            return fraction > 0 ? io.metagrad.core.selection.Budget.ofPool(fraction, poolSize) : poolSize;
        }
    }

    /**
     * The rows of {@code selection/v1} (uid, count, metagrad, rank), ranked by Spark: {@code counts}
     * (columns {@code row, uid, count}) joined with {@code metagrads} (columns {@code row, metagrad}),
     * count descending, then metagradient ascending (null last), then uid, cut to the budget.
     */
    static Dataset<Row> rank(SparkSession spark, Dataset<Row> counts, Dataset<Row> metagrads, Budget budget, long poolSize) {
        boolean fill = budget.count() > 0 || budget.fraction() > 0;
        Dataset<Row> g = metagrads.select(col("row").as("g_row"), col("metagrad"));
        Dataset<Row> c = counts.select(col("row"), col("uid"), col("count"));
        Dataset<Row> joined = c.join(g, c.col("row").equalTo(g.col("g_row"))).select(col("uid"), col("count"), col("metagrad"));
        Dataset<Row> candidates = fill ? joined : joined.where(col("count").gt(0));
        long limit = budget.limit(poolSize);
        JavaRDD<Row> ranked = candidates.orderBy(desc("count"), asc_nulls_last("metagrad"), asc("uid")).javaRDD().zipWithIndex()
                .filter(p -> p._2() < limit)
                .map(p -> RowFactory.create(p._1().getString(0), Math.max(1, p._1().getInt(1)),
                        p._1().isNullAt(2) ? null : p._1().getDouble(2), (int) (p._2() + 1)));
        return spark.createDataFrame(ranked, SelectTables.SELECTION);
    }
}
