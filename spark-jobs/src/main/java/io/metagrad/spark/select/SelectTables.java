package io.metagrad.spark.select;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The versioned schemas of what {@code select} writes. {@code data-schemas/v1/<name>.json} holds the
 * same schemas (a test keeps them equal); {@code data-schemas/SELECTION.md} explains them.
 */
public final class SelectTables {

    /** Schema version of every table below. */
    public static final int VERSION = 1;

    /** {@code steps/step=NNNNN/}: the counts after one MGD step and the metagradient it followed. */
    public static final StructType MGD_STEP = new StructType(new StructField[] {
        field("uid", DataTypes.StringType, false, "Uid of the pool item."),
        field("count", DataTypes.IntegerType, false,
                "How many times the item is used after this step (its training weight); >= 0."),
        field("delta", DataTypes.IntegerType, false,
                "Change of count made by this step: 0, +m or -m (clipped at 0); 0 at step 0."),
        field("metagrad", DataTypes.DoubleType, true,
                "Replica-mean metagradient of the target loss with respect to the item's weight, taken at the previous"
                        + " step's counts; null at step 0."),
        field("row", DataTypes.IntegerType, false,
                "Dense id of the item: its position among the pool's uids in sorted order (what tasks index counts by)."),
    });

    /** {@code metrics.jsonl}: one JSON line per completed MGD step (step 0 = the initial counts). */
    public static final StructType MGD_METRICS = new StructType(new StructField[] {
        field("step", DataTypes.IntegerType, false, "MGD step; 0 is the initial counts."),
        field("target_loss", DataTypes.DoubleType, false,
                "Replica-mean loss on the target part of models trained with this step's counts."),
        field("heldout_loss", DataTypes.DoubleType, false,
                "Replica-mean loss on the held-out part; the best iterate minimizes it."),
        field("heldout_accuracy", DataTypes.DoubleType, true, "Replica-mean held-out accuracy; null unless classifying."),
        field("kept", DataTypes.IntegerType, false, "Pool items with count > 0."),
        field("total_count", DataTypes.LongType, false, "Sum of the counts."),
        field("changed", DataTypes.IntegerType, false, "Counts this step changed."),
        field("masked", DataTypes.IntegerType, false, "Coordinates the Bernoulli mask drew at this step."),
        field("best_step", DataTypes.IntegerType, false, "Step with the lowest held-out loss so far (earliest on ties)."),
        field("metagrad_seconds", DataTypes.DoubleType, true, "Wall time of the metagradient stage; null at step 0."),
        field("score_seconds", DataTypes.DoubleType, false, "Wall time of the scoring stage."),
        field("seconds", DataTypes.DoubleType, false, "Wall time of the whole step, checkpoint included."),
        field("device", DataTypes.StringType, false, "Where replicas trained: cpu or gpu."),
        field("finished_utc", DataTypes.StringType, false, "When the step was checkpointed (ISO-8601, UTC)."),
    });

    /** {@code selection/}: the kept uids of the best iterate, ranked. */
    public static final StructType SELECTION = new StructType(new StructField[] {
        field("uid", DataTypes.StringType, false, "Uid of a selected pool item."),
        field("count", DataTypes.IntegerType, false, "Its MGD count at the best iterate (>= 1): the training weight MGD chose (1 for items that only fill a budget)."),
        field("metagrad", DataTypes.DoubleType, true,
                "Tie-break metagradient: taken at the best iterate's counts (or, when the best is the last step, at the"
                        + " counts before it); negative means more weight lowers the target loss."),
        field("rank", DataTypes.IntegerType, false,
                "1-based rank by count (descending), then metagrad (ascending), then uid; a budget keeps exactly that many, dropped items filling it after the ranked ones."),
    });

    private SelectTables() {}

    /** The columns of {@code schema}, in order, for {@code Dataset.select}. */
    static org.apache.spark.sql.Column[] columns(StructType schema) {
        return java.util.Arrays.stream(schema.fieldNames()).map(org.apache.spark.sql.functions::col)
                .toArray(org.apache.spark.sql.Column[]::new);
    }

    /** The id recorded in manifests, e.g. {@code mgd_step/v1}. */
    public static String id(String name) {
        return name + "/v" + VERSION;
    }

    private static StructField field(String name, DataType type, boolean nullable, String comment) {
        Metadata m = new MetadataBuilder().putString("comment", comment).build();
        return new StructField(name, type, nullable, m);
    }
}
