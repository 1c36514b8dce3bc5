package io.metagrad.spark.evaluate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.metagrad.spark.io.FeatureTables;
import io.metagrad.spark.stream.IndexedPool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Evaluate's oracle ({@code --oracle-sources}): what a method that knew every item's provenance would keep at a
 * budget. The items whose {@code source} is one of the given values come first, then (when they are fewer than the
 * budget) the others, each group in a seeded order of uid hashes. Its gain over all data is what the pool lets a
 * selection of that size reach, so every method's gain can be read as a share of it. Ranked by Spark once for every
 * budget: the driver holds nothing of pool size.
 */
final class OracleSelection implements AutoCloseable {

    /** The oracle's row name in evaluate's tables. */
    static final String NAME = "oracle";

    private static final StructType RANKS = new StructType().add("ranked_uid", DataTypes.StringType, false)
            .add("rank", DataTypes.LongType, false);

    private final Dataset<Row> ranks;
    private final long known;

    private OracleSelection(Dataset<Row> ranks, long known) {
        this.ranks = ranks;
        this.known = known;
    }

    /**
     * Ranks the pool at {@code poolPath}; fails, before any method runs, when no item has one of {@code sources}
     * (naming the table, the field and the sources it does have).
     */
    static OracleSelection rank(SparkSession spark, String poolPath, List<String> sources, long seed) {
        Dataset<Row> items = FeatureTables.dataset(spark, poolPath).select(col("uid"), col("source"));
        Column isKnown = functions.coalesce(col("source").isin(sources.toArray()), lit(false));
        long known = items.where(isKnown).count();
        if (known == 0) {
            List<String> present = new ArrayList<>();
            List<Row> first = items.select(col("source")).distinct().orderBy(col("source")).limit(11).collectAsList();
            for (Row r : first.subList(0, Math.min(10, first.size()))) {
                present.add(r.isNullAt(0) ? "null" : "'" + r.getString(0) + "'");
            }
            throw new IllegalArgumentException("evaluate --oracle-sources " + String.join(",", sources) + ": no row of features"
                    + " table " + poolPath + " has field 'source' in " + sources + "; its sources are " + present
                    + (first.size() > 10 ? " and more" : ""));
        }
        // known first; then a seeded hash of the uid (a random order that does not depend on the table's files); uid breaks ties
        Dataset<Row> ordered = items.orderBy(isKnown.desc(), functions.xxhash64(lit(seed), col("uid")).asc(), col("uid").asc());
        Dataset<Row> ranks = spark.createDataFrame(ordered.select(col("uid")).javaRDD().zipWithIndex()
                .map(p -> RowFactory.create(p._1().getString(0), p._2())), RANKS).persist(StorageLevel.DISK_ONLY());
        return new OracleSelection(ranks, known);
    }

    /** How many pool items have one of the sources. */
    long known() {
        return known;
    }

    /** The oracle's {@code items} items as evaluate's counts: the pool's rows, each once. */
    Dataset<Row> counts(IndexedPool pool, long items) {
        Dataset<Row> kept = ranks.where(col("rank").lt(items));
        Dataset<Row> rows = pool.rows();
        List<Column> columns = new ArrayList<>(Arrays.asList(IndexedPool.columns()));
        columns.add(lit(1).as("count"));
        return rows.join(kept, rows.col("uid").equalTo(kept.col("ranked_uid"))).select(columns.toArray(Column[]::new));
    }

    @Override
    public void close() {
        ranks.unpersist();
    }
}
