package io.metagrad.spark.descent;

import com.google.gson.annotations.SerializedName;
import java.util.Map;

/**
 * {@code state.json} of a descent run ({@code descent_state/v1}), rewritten after every step: a
 * step is complete once this file names it. A run resumes after {@link #completedStep} when its
 * inputs and resume parameters are unchanged.
 *
 * @param job the job that wrote it ({@code poison}, {@code tune-lr})
 * @param completedStep last step whose iterate, metrics and state are all written (0 = the start evaluated)
 * @param plannedSteps MGD steps S of the run that wrote this state
 * @param bestStep the step with the best objective so far (earliest on ties)
 * @param bestValue its objective
 * @param resumeParams what a resumed run must match
 * @param inputs SHA-256 fingerprints of the input tables' rows
 */
record DescentState(
        String schema,
        String job,
        @SerializedName("completed_step") int completedStep,
        @SerializedName("planned_steps") int plannedSteps,
        @SerializedName("best_step") int bestStep,
        @SerializedName("best_value") double bestValue,
        @SerializedName("resume_params") Map<String, String> resumeParams,
        Map<String, String> inputs) {

    static final String SCHEMA = "descent_state/v1";
}
