package io.metagrad.spark.attribute;

import io.metagrad.core.attribution.Attribution;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.mgd.MetagradientResult;
import java.io.Serializable;

/**
 * One task's share of an attribution: exact influence for a contiguous block of targets, which
 * share one forward training run and every replay.
 */
record InfluenceChunk(int firstTarget, double[] values, double[][] scores, double seconds) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Targets {@code [from, to)} of {@code inputs}. */
    static InfluenceChunk compute(AttributionInputs inputs, int from, int to, int replayK) {
        long start = System.nanoTime();
        int[] rows = new int[to - from];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = from + r;
        }
        TrainingData targets = inputs.targetData().subset(rows);
        int k = replayK > 0 ? replayK : io.metagrad.core.replay.ReplayPlan.sqrtK(inputs.spec().options().steps());
        MetagradientResult result = Attribution.exactInfluence(inputs.config(), inputs.trainData(), targets, k);
        return new InfluenceChunk(from, result.values(), result.gradients(), (System.nanoTime() - start) / 1e9);
    }
}
