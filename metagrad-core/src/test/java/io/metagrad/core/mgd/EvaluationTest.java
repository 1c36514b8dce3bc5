package io.metagrad.core.mgd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.core.config.OptimizerSpec;
import io.metagrad.core.config.Schedule;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.meta.Metaparameter;
import io.metagrad.core.model.ModelSpec;
import io.metagrad.core.output.OutputFunction;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EvaluationTest {

    private static TrainingData separable(long seed, int n) {
        Random r = new Random(seed);
        double[][] x = new double[n][2];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            x[i][0] = (y[i] == 1 ? 2 : -2) + 0.5 * r.nextGaussian();
            x[i][1] = r.nextGaussian();
        }
        return TrainingData.ofLabels(x, y, 2);
    }

    @Test
    void trainingOnSeparableDataGivesHighAccuracyAndLowerLoss() {
        TrainingData train = separable(1, 64);
        TrainingData test = separable(2, 200);
        TrainConfig config = TrainConfig.builder().model(new ModelSpec.LogisticRegression(2, 2))
                .optimizer(OptimizerSpec.Sgd.momentum(0.5)).schedule(new Schedule.Constant(0.2))
                .batchSize(16).steps(40).build();
        MetagradientProblem problem = new MetagradientProblem(config, train,
                Metaparameter.DataWeights.ones(train.size()), OutputFunction.meanLoss(test));
        List<double[]> trained = Metagradients.train(problem);
        double accuracy = Evaluation.accuracy(config, trained, test);
        assertTrue(accuracy > 0.95, "accuracy " + accuracy);
        int[] labels = java.util.stream.IntStream.range(0, test.size()).map(i -> i % 2).toArray();
        ClassificationScores scores = ClassificationScores.of(Evaluation.predictions(config, trained, test), labels);
        assertEquals(accuracy, scores.accuracy(), 1e-12, "predictions agree with accuracy");
        assertTrue(scores.balancedAccuracy() > 0.95, "balanced " + scores.balancedAccuracy());
        double trainedLoss = Evaluation.meanLoss(config, trained, test);
        double untrainedLoss = Evaluation.meanLoss(config.toBuilder().steps(1).schedule(new Schedule.Constant(0)).build(),
                Metagradients.train(new MetagradientProblem(config.toBuilder().steps(1).schedule(new Schedule.Constant(0)).build(),
                        train, Metaparameter.DataWeights.ones(train.size()), OutputFunction.meanLoss(test))), test);
        assertTrue(trainedLoss < untrainedLoss / 3, trainedLoss + " vs untrained " + untrainedLoss);
    }
}
