package io.metagrad.spark.select;

import static org.apache.spark.sql.functions.asc;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;

/**
 * One MGD step on the counts, done by Spark over tables (never an array of pool size on the driver):
 * the previous step's table joined with the replica-mean metagradients, and the next step's table
 * ({@link SelectTables#MGD_STEP}) computed from them.
 */
final class StepUpdate {

    private StepUpdate() {}

    /**
     * The items of the run's training set that the metagradient must cover: every item for SIGNED
     * (count-0 items are trained on with weight 0), the kept ones for PRUNE. The others get no
     * metagradient (null).
     */
    private static Column trained(boolean prune) {
        return prune ? col("count").gt(0) : lit(true);
    }

    /**
     * {@code previous} (columns {@code row, uid, count}) with each item's metagradient {@code g}: as the
     * replicas reported it, 0 for trained items no batch reached, null for items not trained on.
     */
    static Dataset<Row> withMetagradients(Dataset<Row> previous, Dataset<Row> perItem, boolean prune) {
        Dataset<Row> g = perItem.where(col("output").equalTo(0)).select(col("row"), col("g"));
        return previous.select(col("row"), col("uid"), col("count")).join(g, previous.col("row").equalTo(g.col("row")), "left_outer")
                .select(previous.col("row"), col("uid"), col("count"),
                        when(trained(prune), coalesce(g.col("g"), lit(0.0))).as("g"));
    }

    /**
     * What the next step's table holds, in one pass: kept, Σcount, changed and drawn — after failing,
     * naming the item, the step and the knobs, when a trained item's metagradient is not finite
     * (training diverged): such a step must never be written, let alone become a selection.
     */
    static Counts countFinite(Dataset<Row> next, int step) {
        Column bad = col("metagrad").isNotNull().and(col("metagrad").isNaN()
                .or(functions.abs(col("metagrad")).equalTo(Double.POSITIVE_INFINITY)));
        Row r = next.agg(functions.min(when(bad, functions.struct(col("row"), col("uid"), col("metagrad")))),
                functions.sum(when(col("count").gt(0), 1).otherwise(0)), functions.sum(col("count")),
                functions.sum(when(col("delta").notEqual(0), 1).otherwise(0)),
                functions.sum(when(col("drawn"), 1).otherwise(0))).first();
        if (!r.isNullAt(0)) {
            Row first = r.getStruct(0);
            throw new IllegalStateException("metagradient of pool item " + first.getString(1) + " is " + first.get(2)
                    + " at MGD step " + step + "; training diverged (lower --lr, raise --batch-size or set --grad-clip)");
        }
        return new Counts(r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4));
    }

    /**
     * SIGNED: every drawn item steps against its metagradient's sign. Columns of the result:
     * {@code uid, count, delta, metagrad, row, drawn}.
     */
    static Dataset<Row> signed(Dataset<Row> joined, long seed, int step, int stepSize, double p) {
        return joined.map((MapFunction<Row, Row>) r -> {
            int row = r.getInt(0);
            int count = r.getInt(2);
            double g = r.getDouble(3);
            boolean drawn = MgdUpdate.drawn(seed, step, row, p);
            int next = drawn ? MgdUpdate.next(count, g, stepSize) : count;
            return RowFactory.create(r.getString(1), next, next - count, g, row, drawn);
        }, Encoders.row(withDrawn()));
    }

    /**
     * PRUNE: the {@code drop} kept items with the largest metagradient (ties: lower row) go to count 0.
     * Same columns as {@link #signed}; {@code drawn} marks the items that were candidates (the kept ones).
     */
    static Dataset<Row> prune(Dataset<Row> joined, long drop) {
        Dataset<Row> dropped = joined.where(col("count").gt(0)).orderBy(desc("g"), asc("row")).limit((int) drop)
                .select(col("row").as("dropped_row"));
        return joined.join(dropped, joined.col("row").equalTo(dropped.col("dropped_row")), "left_outer")
                .select(col("uid"),
                        when(col("dropped_row").isNotNull(), lit(0)).otherwise(col("count")).as("count"),
                        when(col("dropped_row").isNotNull(), col("count").multiply(-1)).otherwise(lit(0)).as("delta"),
                        col("g").as("metagrad"), col("row"), col("count").gt(0).as("drawn"));
    }

    private static org.apache.spark.sql.types.StructType withDrawn() {
        return SelectTables.MGD_STEP.add("drawn", org.apache.spark.sql.types.DataTypes.BooleanType, false);
    }

    /** What a step did, counted by Spark: kept, Σcount, changed, drawn. */
    record Counts(long kept, long total, long changed, long drawn) {}
}
