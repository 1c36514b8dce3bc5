package io.metagrad.spark.select;

import com.google.gson.annotations.SerializedName;

/**
 * One line of {@code metrics.jsonl} (schema {@code mgd_metrics/v1}, see {@link SelectTables#MGD_METRICS}).
 * Nullable fields are boxed.
 */
public record StepMetrics(
        int step,
        @SerializedName("target_loss") double targetLoss,
        @SerializedName("heldout_loss") double heldoutLoss,
        @SerializedName("heldout_accuracy") Double heldoutAccuracy,
        int kept,
        @SerializedName("total_count") long totalCount,
        int changed,
        int masked,
        @SerializedName("best_step") int bestStep,
        @SerializedName("metagrad_seconds") Double metagradSeconds,
        @SerializedName("score_seconds") double scoreSeconds,
        double seconds,
        String device,
        @SerializedName("finished_utc") String finishedUtc) {

    /** The same metrics without the fields that vary from run to run (times, clock), for comparisons. */
    public StepMetrics withoutTimes() {
        return new StepMetrics(step, targetLoss, heldoutLoss, heldoutAccuracy, kept, totalCount, changed, masked, bestStep,
                null, 0, 0, device, null);
    }
}
