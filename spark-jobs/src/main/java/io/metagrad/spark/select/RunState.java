package io.metagrad.spark.select;

import com.google.gson.annotations.SerializedName;
import java.util.List;
import java.util.Map;

/**
 * {@code state.json}: where a select run stands, rewritten (temp-then-rename) after every step.
 * A run resumes after {@link #completedStep} if its inputs and resume parameters are unchanged.
 *
 * @param schema {@code mgd_state/v1}
 * @param completedStep last step whose table, metrics and state are all written (0 = initial counts scored)
 * @param plannedSteps the MGD steps S of the run that wrote this state
 * @param bestStep step with the lowest held-out loss so far
 * @param bestHeldoutLoss that loss
 * @param maskSeed seed of the per-step Bernoulli masks (step s draws from {@code (maskSeed, s)})
 * @param replicaSeeds training seed of each replica
 * @param resumeParams the parameters a resumed run must match
 * @param inputs SHA-256 fingerprints of the pool, target and held-out rows
 */
record RunState(
        String schema,
        @SerializedName("completed_step") int completedStep,
        @SerializedName("planned_steps") int plannedSteps,
        @SerializedName("best_step") int bestStep,
        @SerializedName("best_heldout_loss") double bestHeldoutLoss,
        @SerializedName("mask_seed") long maskSeed,
        @SerializedName("replica_seeds") List<Long> replicaSeeds,
        @SerializedName("resume_params") Map<String, String> resumeParams,
        Map<String, String> inputs) {

    static final String SCHEMA = "mgd_state/v1";
}
