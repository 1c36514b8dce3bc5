package io.metagrad.spark.evaluate;

import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.meta.Metaparameter;
import io.metagrad.core.mgd.ClassificationScores;
import io.metagrad.core.mgd.Evaluation;
import io.metagrad.core.mgd.MetagradientProblem;
import io.metagrad.core.mgd.Metagradients;
import io.metagrad.core.output.OutputFunction;
import io.metagrad.spark.train.FeatureRows;
import io.metagrad.spark.train.RunSpec;
import java.io.Serializable;
import java.util.List;

/**
 * What every downstream training task needs, broadcast once: the pool, the test split, the
 * zero-shot prompts (CLIP) and the spec. A task trains on the rows a selection kept,
 * weighted by their counts, for the spec's number of steps, and measures the test metrics.
 */
record Downstream(FeatureRows pool, FeatureRows test, double[] prompts, RunSpec spec)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * Test accuracy and balanced accuracy (zero-shot for the CLIP head) after training on
     * {@code counts} with seed offset {@code seed}.
     */
    ClassificationScores scores(int[] counts, int seed) {
        int kept = 0;
        for (int c : counts) {
            kept += c > 0 ? 1 : 0;
        }
        int[] rows = new int[kept];
        double[] weights = new double[kept];
        for (int i = 0, r = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                rows[r] = i;
                weights[r++] = counts[i];
            }
        }
        TrainingData subset = spec.data(pool).subset(rows);
        TrainConfig config = spec.config(seed, kept);
        List<double[]> params = Metagradients.train(new MetagradientProblem(config, subset,
                new Metaparameter.DataWeights(weights), OutputFunction.meanLoss(subset)));
        int[] predicted = prompts != null
                ? Evaluation.zeroShotPredictions(config, params, test.features(), prompts, test.size())
                : Evaluation.predictions(config, params, spec.data(test));
        return ClassificationScores.of(predicted, test.labels());
    }
}
