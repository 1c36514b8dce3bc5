package io.metagrad.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.core.config.OptimizerSpec;
import io.metagrad.core.config.Schedule;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.meta.Metaparameter;
import io.metagrad.core.mgd.MetagradientCheck;
import io.metagrad.core.mgd.MetagradientProblem;
import io.metagrad.core.mgd.Metagradients;
import io.metagrad.core.model.ModelSpec;
import io.metagrad.core.output.OutputFunction;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DivergenceGuardTest {

    private static TrainingData data(long seed) {
        Random r = new Random(seed);
        int n = 64;
        double[][] x = new double[n][6];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 6; j++) {
                x[i][j] = r.nextGaussian();
            }
            labels[i] = (x[i][0] > 0 ? 1 : 0) + (x[i][1] > 0 ? 1 : 0);
        }
        return TrainingData.ofLabels(x, labels, 3);
    }

    private static TrainConfig config(double lr, double maxLossRatio) {
        return config(ModelSpec.Mlp.of(6, 8, 3), lr, maxLossRatio);
    }

    private static TrainConfig config(ModelSpec model, double lr, double maxLossRatio) {
        return TrainConfig.builder().model(model).optimizer(OptimizerSpec.Sgd.momentum(0.9))
                .schedule(new Schedule.Constant(lr)).batchSize(16).steps(40).seed(3).maxLossRatio(maxLossRatio).build();
    }

    private static MetagradientProblem problem(TrainConfig config) {
        TrainingData d = data(1);
        return new MetagradientProblem(config, d, Metaparameter.DataWeights.ones(d.size()), OutputFunction.meanLoss(data(2)));
    }

    @Test
    void aHugeLearningRateStopsTrainingNamingTheStepAndTheKnobs() {
        TrainingDiverged d = assertThrows(TrainingDiverged.class, () -> Metagradients.train(problem(config(500, 100))));
        assertEquals(TrainingDiverged.Reason.LOSS_ABOVE_BOUND, d.reason());
        assertTrue(d.step() < DivergenceGuard.FIRST, "found in the first checked steps: " + d.step());
        assertEquals(500, d.learningRate());
        assertEquals(16, d.batchSize());
        assertTrue(d.getMessage().contains("train.lr = 500") && d.getMessage().contains("above 100"), d.getMessage());
        // The metagradient path trains through the same guard.
        assertThrows(TrainingDiverged.class, () -> Metagradients.compute(problem(config(500, 100)), 4));
    }

    @Test
    void withoutTheLossBoundNonFiniteParametersStillStopIt() {
        // The largest float32 rate: the first momentum steps overflow the weights to infinity.
        TrainConfig huge = config(new ModelSpec.LogisticRegression(6, 3), Float.MAX_VALUE, 0);
        TrainingDiverged d = assertThrows(TrainingDiverged.class, () -> Metagradients.train(problem(huge)));
        assertTrue(d.reason() == TrainingDiverged.Reason.NON_FINITE_PARAMETERS
                || d.reason() == TrainingDiverged.Reason.NON_FINITE_LOSS, d.reason() + ": " + d.getMessage());
    }

    @Test
    void aStableRunIsNotTouched() {
        List<double[]> guarded = Metagradients.train(problem(config(0.1, 100)));
        List<double[]> unguarded = Metagradients.train(problem(config(0.1, 0)));
        for (int i = 0; i < guarded.size(); i++) {
            assertArrayEquals(unguarded.get(i), guarded.get(i), "the guard only reads");
        }
        double[] g = Metagradients.compute(problem(config(0.1, 100)), 4).gradient();
        assertArrayEquals(Metagradients.compute(problem(config(0.1, 0)), 4).gradient(), g);
    }

    @Test
    void metagradientsMustBeFiniteAndOfASensibleSize() {
        MetagradientProblem p = problem(config(0.1, 100));
        MetagradientCheck.require(p, new double[] {2.0}, new double[][] {{0.5, -3.0, 1e3}});
        TrainingDiverged nan = assertThrows(TrainingDiverged.class,
                () -> MetagradientCheck.require(p, new double[] {2.0}, new double[][] {{0.5, Double.NaN}}));
        assertEquals(TrainingDiverged.Reason.NON_FINITE_METAGRADIENT, nan.reason());
        assertTrue(nan.getMessage().contains("entry 1"), nan.getMessage());
        TrainingDiverged huge = assertThrows(TrainingDiverged.class,
                () -> MetagradientCheck.require(p, new double[] {2.0}, new double[][] {{0.5, 3e4}}));
        assertEquals(TrainingDiverged.Reason.METAGRADIENT_ABOVE_BOUND, huge.reason());
        assertThrows(TrainingDiverged.class,
                () -> MetagradientCheck.require(p, new double[] {Double.POSITIVE_INFINITY}, new double[][] {{0.5}}));
        // Other metaparameters have no known scale: only finiteness is required of them.
        TrainingData d = data(1);
        MetagradientProblem rates = new MetagradientProblem(config(0.1, 100), d,
                Metaparameter.LearningRates.of(config(0.1, 100)), OutputFunction.meanLoss(d));
        MetagradientCheck.require(rates, new double[] {2.0}, new double[][] {{1e9}});
    }
}
