package io.metagrad.core.attribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
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
    void removalSetsAreDecidedItemByItemByAKeyedPermutation() {
        for (int n : new int[] {1, 2, 3, 5, 17, 64, 65, 1000}) {
            RemovalSets sets = new RemovalSets(n, 4, 0.1, 11);
            for (int s = 0; s < 4; s++) {
                boolean[] taken = new boolean[n];
                int removed = 0;
                for (int i = 0; i < n; i++) {
                    long place = sets.place(s, i);
                    assertTrue(place >= 0 && place < n && !taken[(int) place], "n = " + n + ": place " + place + " of item " + i);
                    taken[(int) place] = true;
                    removed += sets.removes(s, i) ? 1 : 0;
                }
                int[] set = sets.set(s);
                assertEquals(Math.max(1, Math.round(0.1 * n)), set.length, "n = " + n);
                assertEquals(set.length, removed);
                for (int j = 1; j < set.length; j++) {
                    assertTrue(set[j - 1] < set[j], "ascending and distinct");
                }
            }
        }
        RemovalSets sets = new RemovalSets(1000, 4, 0.1, 11);
        assertFalse(Arrays.equals(sets.set(0), sets.set(1)), "sets differ");
        assertFalse(Arrays.equals(sets.set(0), new RemovalSets(1000, 4, 0.1, 12).set(0)), "seeds differ");
        assertArrayEquals(sets.all()[2], LinearDatamodelingScore.removalSets(1000, 4, 0.1, 11)[2]);
    }

    @Test
    void baselinesScoredChunkByChunkEqualTheWholePoolBitwise() {
        for (ModelKind kind : new ModelKind[] {ModelKind.MLP_TANH, ModelKind.CLIP_FIXED}) {
            TrainConfig config = SmallProblems.config(kind, SmallProblems.OptimizerKind.MOMENTUM, 6, Precision.FLOAT32);
            TrainingData train = SmallProblems.data(kind, 3, 13); // 13 = 3·4 + 1: the CLIP head's last chunk takes a lone example
            TrainingData targets = SmallProblems.data(kind, 4, 3);
            GradientBaselines.Scores whole = GradientBaselines.compute(config, train, targets);
            List<double[]> trained = Metagradients.train(new MetagradientProblem(config, train,
                    Metaparameter.DataWeights.ones(train.size()), OutputFunction.perExampleLosses(targets)));
            int size = PerExampleGradients.chunkSize(config.model().build(), config.batchSize());
            assertEquals(kind == ModelKind.CLIP_FIXED ? 4 : 1, size);
            double[][] dot = new double[3][13];
            double[][] cosine = new double[3][13];
            try (GradientBaselines.Scorer scorer = new GradientBaselines.Scorer(config, trained, targets)) {
                for (long c = 0; c <= PerExampleGradients.chunkOf(12, 13, size); c++) {
                    long chunk = c;
                    int[] rows = IntStream.range(0, 13).filter(i -> PerExampleGradients.chunkOf(i, 13, size) == chunk).toArray();
                    scorer.score(train.subset(rows), (i, d, cos) -> {
                        for (int t = 0; t < 3; t++) {
                            dot[t][rows[i]] = d[t];
                            cosine[t][rows[i]] = cos[t];
                        }
                    });
                }
            }
            for (int t = 0; t < 3; t++) {
                assertArrayEquals(whole.dotProduct()[t], dot[t], kind + " dot product, target " + t);
                assertArrayEquals(whole.cosine()[t], cosine[t], kind + " cosine, target " + t);
            }
        }
    }

    @Test
    void topListsAreOrderedAndDeterministic() {
        double[] scores = {0.5, -2, 0, -2, 3};
        assertArrayEquals(new int[] {1, 3, 2}, Attribution.topHelpful(scores, 3));
        assertArrayEquals(new int[] {4, 0}, Attribution.topHarmful(scores, 2));
    }
}
