package io.metagrad.core.mgd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.core.FiniteDifferences;
import io.metagrad.core.SmallProblems;
import io.metagrad.core.SmallProblems.MetaKind;
import io.metagrad.core.SmallProblems.ModelKind;
import io.metagrad.core.SmallProblems.OptimizerKind;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.meta.Metaparameter;
import io.metagrad.core.output.OutputFunction;
import io.metagrad.core.tensor.Precision;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The output functions beyond the mean target loss. */
class OutputFunctionsTest {

    private static final int STEPS = 9;

    @Test
    void perTargetMetagradientsEqualOneRunPerTarget() {
        // Same math; only the target batch's shape differs (4 rows vs 1), so float64 agrees to rounding.
        TrainConfig config = SmallProblems.config(ModelKind.MLP_TANH, OptimizerKind.ADAM, STEPS, Precision.FLOAT64);
        TrainingData data = SmallProblems.data(ModelKind.MLP_TANH, 1, SmallProblems.EXAMPLES);
        TrainingData targets = SmallProblems.data(ModelKind.MLP_TANH, 2, 4);
        Metaparameter w = SmallProblems.metaparameter(MetaKind.WEIGHTS, config, data);

        MetagradientResult batched = Metagradients.compute(
                new MetagradientProblem(config, data, w, OutputFunction.perExampleLosses(targets)), 3);
        assertEquals(4, batched.values().length);
        for (int q = 0; q < targets.size(); q++) {
            MetagradientResult single = Metagradients.compute(
                    new MetagradientProblem(config, data, w, OutputFunction.exampleLoss(targets, q)), 3);
            assertEquals(single.value(), batched.values()[q], 1e-12, "value of target " + q);
            double error = FiniteDifferences.relativeError(batched.gradients()[q], single.gradient());
            assertTrue(error < 1e-10, "target " + q + ": relative difference " + error);
        }
    }

    @Test
    void perTargetMetagradientsMatchFiniteDifferences() {
        TrainConfig config = SmallProblems.config(ModelKind.LOGISTIC, OptimizerKind.NESTEROV, STEPS, Precision.FLOAT64);
        TrainingData data = SmallProblems.data(ModelKind.LOGISTIC, 1, SmallProblems.EXAMPLES);
        TrainingData targets = SmallProblems.data(ModelKind.LOGISTIC, 2, 3);
        Metaparameter w = SmallProblems.metaparameter(MetaKind.WEIGHTS, config, data);
        MetagradientResult batched = Metagradients.compute(
                new MetagradientProblem(config, data, w, OutputFunction.perExampleLosses(targets)), 4);
        for (int q = 0; q < 3; q++) {
            double[] numeric = FiniteDifferences.gradient(
                    new MetagradientProblem(config, data, w, OutputFunction.exampleLoss(targets, q)), 1e-5);
            double error = FiniteDifferences.relativeError(batched.gradients()[q], numeric);
            assertTrue(error <= 1e-6, "target " + q + ": relative error " + error);
        }
    }

    @Test
    void zeroShotLossMetagradientMatchesFiniteDifferences() {
        for (ModelKind model : new ModelKind[] {ModelKind.CLIP_FIXED, ModelKind.CLIP_LEARNED}) {
            TrainConfig config = SmallProblems.config(model, OptimizerKind.ADAMW, STEPS, Precision.FLOAT64);
            TrainingData data = SmallProblems.data(model, 1, SmallProblems.EXAMPLES);
            for (MetaKind kind : new MetaKind[] {MetaKind.WEIGHTS, MetaKind.POISON_TARGETS}) {
                MetagradientProblem problem = new MetagradientProblem(
                        config, data, SmallProblems.metaparameter(kind, config, data), zeroShot());
                double[] exact = Metagradients.compute(problem, 3).gradient();
                double error = FiniteDifferences.relativeError(exact, FiniteDifferences.gradient(problem, 1e-5));
                assertTrue(error <= 1e-6, model + " × " + kind + ": relative error " + error);
            }
        }
    }

    @Test
    void gradientClippingIsDifferentiatedExactly() {
        TrainConfig config = SmallProblems.config(ModelKind.MLP_GELU_NORM, OptimizerKind.MOMENTUM, STEPS, Precision.FLOAT64)
                .toBuilder().gradClipNorm(0.05).build();
        TrainingData data = SmallProblems.data(ModelKind.MLP_GELU_NORM, 1, SmallProblems.EXAMPLES);
        for (MetaKind kind : new MetaKind[] {MetaKind.WEIGHTS, MetaKind.LEARNING_RATES}) {
            MetagradientProblem problem = new MetagradientProblem(config, data,
                    SmallProblems.metaparameter(kind, config, data),
                    OutputFunction.meanLoss(SmallProblems.data(ModelKind.MLP_GELU_NORM, 2, 6)));
            double[] exact = Metagradients.compute(problem, 2).gradient();
            double error = FiniteDifferences.relativeError(exact, FiniteDifferences.gradient(problem, 1e-5));
            assertTrue(error <= 1e-6, kind + ": relative error " + error);
        }
    }

    @Test
    void zeroShotLossRejectsClassifierModels() {
        TrainConfig config = SmallProblems.config(ModelKind.LOGISTIC, OptimizerKind.SGD, 3, Precision.FLOAT64);
        TrainingData data = SmallProblems.data(ModelKind.LOGISTIC, 1, SmallProblems.EXAMPLES);
        MetagradientProblem problem = new MetagradientProblem(config, data,
                Metaparameter.DataWeights.ones(data.size()), zeroShot());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Metagradients.evaluate(problem));
        assertTrue(e.getMessage().contains("CLIP"), e.getMessage());
    }

    /** Three classes, each prompt a noisy text embedding; images drawn near their class. */
    private static OutputFunction zeroShot() {
        Random r = new Random(11);
        int classes = 3;
        double[] prompts = new double[classes * SmallProblems.TEXT];
        for (int i = 0; i < prompts.length; i++) {
            prompts[i] = r.nextGaussian();
        }
        int n = 6;
        int[] labels = new int[n];
        double[] images = new double[n * SmallProblems.INPUT];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            for (int j = 0; j < SmallProblems.INPUT; j++) {
                double signal = j < SmallProblems.TEXT ? prompts[labels[i] * SmallProblems.TEXT + j] : 0;
                images[i * SmallProblems.INPUT + j] = signal + 0.3 * r.nextGaussian();
            }
        }
        return new OutputFunction.ZeroShotLoss(images, prompts, labels, SmallProblems.INPUT, SmallProblems.TEXT);
    }

    @Test
    void integerCountsAreWeights() {
        TrainConfig config = SmallProblems.config(ModelKind.LOGISTIC, OptimizerKind.SGD, 5, Precision.FLOAT64);
        TrainingData data = SmallProblems.data(ModelKind.LOGISTIC, 1, SmallProblems.EXAMPLES);
        int[] counts = new int[data.size()];
        Arrays.fill(counts, 2);
        counts[3] = 0;
        double[] asCounts = Metagradients.evaluate(new MetagradientProblem(config, data,
                Metaparameter.DataWeights.counts(counts), OutputFunction.meanLoss(data)));
        double[] w = new double[data.size()];
        Arrays.fill(w, 2.0);
        w[3] = 0;
        double[] asWeights = Metagradients.evaluate(new MetagradientProblem(config, data,
                new Metaparameter.DataWeights(w), OutputFunction.meanLoss(data)));
        assertEquals(asWeights[0], asCounts[0], 0.0);
        assertThrows(IllegalArgumentException.class, () -> Metaparameter.DataWeights.counts(new int[] {1, -1}));
    }
}
