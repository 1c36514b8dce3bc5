package io.metagrad.core.poison;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.core.FiniteDifferences;
import io.metagrad.core.SmallProblems;
import io.metagrad.core.SmallProblems.ModelKind;
import io.metagrad.core.SmallProblems.OptimizerKind;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.meta.Metaparameter;
import io.metagrad.core.mgd.Evaluation;
import io.metagrad.core.mgd.MetagradientProblem;
import io.metagrad.core.mgd.Metagradients;
import io.metagrad.core.output.OutputFunction;
import io.metagrad.core.tensor.Precision;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The poisoning baselines' gradients against float64 central differences. */
class PoisonGradientsTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ModelKind.class, names = {"LOGISTIC", "MLP_TANH", "MLP_GELU_NORM"})
    void inputGradientsAreEachRowsOwnLossGradient(ModelKind kind) {
        TrainConfig config = SmallProblems.config(kind, OptimizerKind.MOMENTUM, 6, Precision.FLOAT64);
        TrainingData data = SmallProblems.data(kind, 1, SmallProblems.EXAMPLES);
        List<double[]> params = trained(config, data);
        double[] g = InputGradients.ofLosses(config, params, data);
        // Σ_i ℓ_i: each row's features only move its own loss, so the sum's gradient is every row's own.
        double[] numeric = numeric(data.features(), x -> {
            TrainingData moved = new TrainingData(data.size(), data.inputDim(), x, data.targetDim(), data.targets());
            return Evaluation.meanLoss(config, params, moved) * data.size();
        });
        assertSmall(FiniteDifferences.relativeError(g, numeric), g, numeric);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ModelKind.class, names = {"LOGISTIC", "MLP_TANH", "MLP_GELU_NORM"})
    void gradientCancelingObjectiveGradientMatchesFiniteDifferences(ModelKind kind) {
        TrainConfig config = SmallProblems.config(kind, OptimizerKind.MOMENTUM, 6, Precision.FLOAT64);
        TrainingData data = SmallProblems.data(kind, 1, SmallProblems.EXAMPLES);
        List<double[]> params = trained(config, data);
        TrainingData clean = data.subset(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8});
        TrainingData poison = data.subset(new int[] {9, 10, 11});
        GradientCanceling gc = new GradientCanceling(config, params, clean, poison.size());
        GradientCanceling.Value v = gc.at(poison);

        double[] numeric = numeric(poison.features(), x -> gc.at(
                new TrainingData(poison.size(), poison.inputDim(), x, poison.targetDim(), poison.targets())).objective());
        assertSmall(FiniteDifferences.relativeError(v.gradient(), numeric), v.gradient(), numeric);

        // G is half the squared norm of the mean gradient over all N rows.
        double norm2 = 0;
        for (double[] a : TrainingGradient.mean(config, params, data)) {
            for (double x : a) {
                norm2 += x * x;
            }
        }
        assertEquals(0.5 * norm2, v.objective(), 1e-12);
    }

    @Test
    void parameterCorruptionStaysInItsBallAndRaisesTheTrainingLoss() {
        TrainConfig config = SmallProblems.config(ModelKind.MLP_TANH, OptimizerKind.MOMENTUM, 20, Precision.FLOAT64);
        TrainingData data = SmallProblems.data(ModelKind.MLP_TANH, 1, SmallProblems.EXAMPLES);
        List<double[]> clean = trained(config, data);
        List<double[]> target = ParameterCorruption.corrupt(config, clean, data, 0.2, 10);
        double distance = 0;
        for (int j = 0; j < clean.size(); j++) {
            for (int i = 0; i < clean.get(j).length; i++) {
                distance += Math.pow(target.get(j)[i] - clean.get(j)[i], 2);
            }
        }
        assertTrue(Math.sqrt(distance) <= 0.2 * Parameters.norm(clean) * (1 + 1e-12), "outside the ball: " + Math.sqrt(distance));
        assertTrue(Math.sqrt(distance) > 0.1 * Parameters.norm(clean), "hardly moved: " + Math.sqrt(distance));
        assertTrue(Evaluation.meanLoss(config, target, data) > Evaluation.meanLoss(config, clean, data) + 0.1);
    }

    private static List<double[]> trained(TrainConfig config, TrainingData data) {
        return Metagradients.train(new MetagradientProblem(config, data, Metaparameter.DataWeights.ones(data.size()),
                OutputFunction.meanLoss(data)));
    }

    private static double[] numeric(double[] x, ToDoubleFunction<double[]> f) {
        double h = 1e-5;
        double[] g = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            double[] plus = x.clone();
            double[] minus = x.clone();
            plus[j] += h;
            minus[j] -= h;
            g[j] = (f.applyAsDouble(plus) - f.applyAsDouble(minus)) / (2 * h);
        }
        return g;
    }

    private static void assertSmall(double error, double[] analytic, double[] numeric) {
        assertTrue(error <= 1e-6, () -> "normwise relative error " + error + "\nanalytic " + Arrays.toString(analytic)
                + "\nfinite diff. " + Arrays.toString(numeric));
    }
}
