package io.metagrad.spark.select;

import io.metagrad.core.data.TrainingData;
import io.metagrad.core.selection.Budget;
import io.metagrad.core.selection.Scorers;
import io.metagrad.core.selection.SelectionTask;
import io.metagrad.spark.train.FeatureRows;
import io.metagrad.spark.train.RunSpec;

/** Selections made by scoring every pool item once (all methods but MGD). */
public final class BaselineSelection {

    private BaselineSelection() {}

    /** Scores (higher = keep) of {@code method} on the pool; the task seed fixes random choices. */
    public static double[] scores(Method method, RunSpec spec, FeatureRows pool, FeatureRows targets, long seed) {
        TrainingData poolData = spec.data(pool); // before the config, so bad labels or missing targets are named
        TrainingData targetData = spec.data(targets);
        SelectionTask task = new SelectionTask(spec.baseConfig(poolData.size()), poolData, targetData, seed);
        return switch (method) {
            case RANDOM -> Scorers.random(task);
            case LOSS -> Scorers.loss(task);
            case CLIP_SCORE -> Scorers.referenceAgreement(task);
            case GRAD_SIM -> Scorers.gradientSimilarity(task, 0.25, 4, true);
            case INFLUENCE -> Scorers.influence(task);
            default -> throw new IllegalArgumentException(method + " is not a scoring method");
        };
    }

    /** Counts (1 kept, 0 dropped) of the top {@code budget} by score. */
    public static int[] counts(double[] scores, Budget budget) {
        int[] counts = new int[scores.length];
        for (int i : budget.keep(scores)) {
            counts[i] = 1;
        }
        return counts;
    }
}
