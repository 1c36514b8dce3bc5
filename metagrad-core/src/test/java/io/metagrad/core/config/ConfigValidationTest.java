package io.metagrad.core.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.core.SmallProblems;
import io.metagrad.core.data.BatchOrder;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.meta.Metaparameter;
import io.metagrad.core.mgd.MetagradientProblem;
import io.metagrad.core.model.ModelSpec;
import io.metagrad.core.output.OutputFunction;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Bad settings fail at construction with messages naming the field, value and rule. */
class ConfigValidationTest {

    private static void rejects(String fragment, Runnable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }

    @Test
    void fieldsAreValidated() {
        rejects("train.batchSize = 0", () -> TrainConfig.builder().model(new ModelSpec.LogisticRegression(2, 2))
                .optimizer(OptimizerSpec.Sgd.plain()).schedule(new Schedule.Constant(0.1)).batchSize(0).build());
        rejects("sgd.momentum = 1.0", () -> new OptimizerSpec.Sgd(1.0, false, 0));
        rejects("sgd.nesterov", () -> new OptimizerSpec.Sgd(0, true, 0));
        rejects("adam.epsRoot = -1.0", () -> new OptimizerSpec.Adam(0.9, 0.99, 1e-8, -1, 0, false));
        rejects("mlp.widths", () -> ModelSpec.Mlp.of(4));
        rejects("mlp.logitScale = 0.0", () -> new ModelSpec.Mlp(new int[] {2, 2}, ModelSpec.Activation.TANH, false, 0));
        rejects("schedule.values[1] = NaN", () -> new Schedule.PerStep(new double[] {0.1, Double.NaN}));
        rejects("per-step rates but train.steps = 3", () -> TrainConfig.builder().model(new ModelSpec.LogisticRegression(2, 2))
                .optimizer(OptimizerSpec.Sgd.plain()).schedule(new Schedule.PerStep(new double[] {0.1, 0.2})).steps(3).build());
        rejects("data.features row 1 column 0 = NaN",
                () -> TrainingData.ofLabels(new double[][] {{1}, {Double.NaN}}, new int[] {0, 1}, 2));
        rejects("label = 5", () -> TrainingData.ofLabels(new double[][] {{1}}, new int[] {5}, 2));
        rejects("only 3 examples", () -> new BatchOrder(0, 3, 4));
    }

    @Test
    void metaparameterMustFitTheRun() {
        TrainConfig config = SmallProblems.config(SmallProblems.ModelKind.LOGISTIC, SmallProblems.OptimizerKind.SGD, 5,
                io.metagrad.core.tensor.Precision.FLOAT64);
        TrainingData data = SmallProblems.data(SmallProblems.ModelKind.LOGISTIC, 1, SmallProblems.EXAMPLES);
        rejects("data weights have 3 entries", () -> new MetagradientProblem(config, data,
                new Metaparameter.DataWeights(new double[3]), OutputFunction.meanLoss(data)));
        rejects("learning rates have 2 entries", () -> new MetagradientProblem(config, data,
                new Metaparameter.LearningRates(new double[2]), OutputFunction.meanLoss(data)));
        rejects("poisoned rows must be distinct", () -> Metaparameter.PoisonedInputs.of(data, new int[] {1, 1}, true, false));
    }

    @Test
    void schedulesHaveTheirShapes() {
        double[] warm = new Schedule.WarmupDecay(1.0, 2, Schedule.Decay.LINEAR, 0.0).rates(6);
        assertArrayEquals(new double[] {0.5, 1.0, 1.0, 2.0 / 3, 1.0 / 3, 0.0}, warm, 1e-12);
        double[] cosine = new Schedule.WarmupDecay(1.0, 0, Schedule.Decay.COSINE, 0.1).rates(5);
        assertEquals(1.0, cosine[0], 1e-12);
        assertEquals(0.1, cosine[4], 1e-12);
        assertEquals(0.55, cosine[2], 1e-12);
        double[] cycle = new Schedule.OneCycle(1.0, 0.3, 10, 100).rates(10);
        assertEquals(0.1, cycle[0], 1e-12);
        assertEquals(1.0, Arrays.stream(cycle).max().orElseThrow(), 1e-12);
        assertEquals(0.001, cycle[9], 1e-12);
    }

    @Test
    void batchOrderIsAPermutationPerEpoch() {
        BatchOrder order = new BatchOrder(42, 10, 3);
        assertEquals(3, order.stepsPerEpoch());
        int[] seen = new int[10];
        for (int t = 0; t < 3; t++) {
            for (int i : order.batch(t)) {
                seen[i]++;
            }
        }
        assertEquals(9, Arrays.stream(seen).sum());
        assertTrue(Arrays.stream(seen).allMatch(c -> c <= 1), "no example twice in one epoch");
        assertArrayEquals(order.batch(4), new BatchOrder(42, 10, 3).batch(4), "same seed, same batches");
    }
}
