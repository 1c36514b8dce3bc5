package io.metagrad.core.attribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.core.SmallProblems;
import io.metagrad.core.SmallProblems.ModelKind;
import io.metagrad.core.config.OptimizerSpec;
import io.metagrad.core.config.Schedule;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.meta.Metaparameter;
import io.metagrad.core.mgd.MetagradientProblem;
import io.metagrad.core.mgd.MetagradientResult;
import io.metagrad.core.mgd.Metagradients;
import io.metagrad.core.model.ModelSpec;
import io.metagrad.core.output.OutputFunction;
import io.metagrad.core.tensor.Precision;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AttributionTest {

    /** One SGD step: θ_1 is linear in the weights and the target's logit is linear in θ_1. */
    private static TrainConfig oneStep() {
        return TrainConfig.builder().model(new ModelSpec.LogisticRegression(4, 3))
                .optimizer(OptimizerSpec.Sgd.plain()).schedule(new Schedule.Constant(0.3))
                .batchSize(12).steps(1).precision(Precision.FLOAT64).build();
    }

    @Test
    void linearTrainingMapPredictsRetrainingExactly() {
        // w → θ_1 is linear (one SGD step), and with soft labels summing to 0 the cross-entropy
        // −Σ_c y_c·logit_c + (Σ_c y_c)·logsumexp is linear in the logits, hence in θ_1.
        TrainingData train = SmallProblems.data(ModelKind.LOGISTIC, 1, 12);
        TrainingData probes = SmallProblems.data(ModelKind.LOGISTIC, 2, 2);
        TrainingData targets = new TrainingData(2, 4, probes.features(), 3, new double[] {1, -1, 0, 0, 0.5, -0.5});
        MetagradientResult influence = Attribution.exactInfluence(oneStep(), train, targets, 2);
        int[][] sets = LinearDatamodelingScore.removalSets(12, 8, 0.1, 4);
        for (int[] set : sets) {
            double[] actual = Metagradients.evaluate(new MetagradientProblem(oneStep(), train,
                    new Metaparameter.DataWeights(LinearDatamodelingScore.weightsWithout(12, set)),
                    OutputFunction.perExampleLosses(targets)));
            for (int q = 0; q < 2; q++) {
                double predicted = Attribution.predictAfterRemoval(influence.values()[q], influence.gradients()[q], set);
                assertEquals(actual[q], predicted, 1e-12,
                        "target " + q + " without " + java.util.Arrays.toString(set));
            }
        }
    }

    @Test
    void ldsIsOneWhenPredictionsAreMonotoneInTheTruth() {
        double[][] actual = {{1, 2, 3, 4, 5, 6}, {3, 1, 2, 6, 5, 4}};
        double[][] predicted = {{0.1, 0.2, 0.3, 0.4, 0.5, 0.9}, {30, 10, 20, 60, 50, 40}};
        LinearDatamodelingScore.Result r = LinearDatamodelingScore.score(predicted, actual, 200, 1);
        assertEquals(1.0, r.mean(), 1e-12);
        assertArrayEquals(new double[] {1, 1}, r.perTarget(), 1e-12);
        double[][] reversed = {{6, 5, 4, 3, 2, 1}, {4, 6, 5, 1, 2, 3}};
        assertEquals(-1.0, LinearDatamodelingScore.score(reversed, actual, 50, 1).mean(), 1e-12);
    }

    @Test
    void removalSetsAreSeededDistinctAndSized() {
        int[][] sets = LinearDatamodelingScore.removalSets(200, 10, 0.05, 9);
        assertEquals(10, sets.length);
        for (int[] s : sets) {
            assertEquals(10, s.length);
            Set<Integer> distinct = new HashSet<>();
            for (int i : s) {
                distinct.add(i);
            }
            assertEquals(10, distinct.size());
        }
        assertArrayEquals(sets[3], LinearDatamodelingScore.removalSets(200, 10, 0.05, 9)[3]);
    }

    @Test
    void exactInfluenceBeatsFinalModelBaselinesOnATrainedMlp() {
        TrainingData train = SmallProblems.data(ModelKind.MLP_TANH, 1, 40);
        TrainingData targets = SmallProblems.data(ModelKind.MLP_TANH, 2, 3);
        TrainConfig config = TrainConfig.builder().model(ModelSpec.Mlp.of(4, 8, 3))
                .optimizer(OptimizerSpec.Sgd.momentum(0.5)).schedule(new Schedule.Constant(0.2))
                .batchSize(8).steps(30).precision(Precision.FLOAT64).build();
        MetagradientResult exact = Attribution.exactInfluence(config, train, targets, 6);
        GradientBaselines.Scores baselines = GradientBaselines.compute(config, train, targets);
        int[][] sets = LinearDatamodelingScore.removalSets(40, 30, 0.05, 2);
        double[][] actual = new double[3][sets.length];
        for (int s = 0; s < sets.length; s++) {
            double[] out = Metagradients.evaluate(new MetagradientProblem(config, train,
                    new Metaparameter.DataWeights(LinearDatamodelingScore.weightsWithout(40, sets[s])),
                    OutputFunction.perExampleLosses(targets)));
            for (int q = 0; q < 3; q++) {
                actual[q][s] = out[q];
            }
        }
        double lds = LinearDatamodelingScore.score(
                LinearDatamodelingScore.predictions(exact.values(), exact.gradients(), sets), actual, 100, 1).mean();
        double dot = LinearDatamodelingScore.score(
                LinearDatamodelingScore.predictions(exact.values(), baselines.dotProduct(), sets), actual, 100, 1).mean();
        assertTrue(lds > 0.9, "exact influence LDS " + lds);
        assertTrue(lds > dot, "exact " + lds + " vs dot product " + dot);
    }

    @Test
    void topListsAreOrderedAndDeterministic() {
        double[] scores = {0.5, -2, 0, -2, 3};
        assertArrayEquals(new int[] {1, 3, 2}, Attribution.topHelpful(scores, 3));
        assertArrayEquals(new int[] {4, 0}, Attribution.topHarmful(scores, 2));
    }
}
