package io.metagrad.core.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.core.FiniteDifferences;
import io.metagrad.core.SmallProblems;
import io.metagrad.core.SmallProblems.MetaKind;
import io.metagrad.core.SmallProblems.ModelKind;
import io.metagrad.core.SmallProblems.OptimizerKind;
import io.metagrad.core.config.Schedule;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.mgd.MetagradientProblem;
import io.metagrad.core.mgd.MetagradientResult;
import io.metagrad.core.mgd.Metagradients;
import io.metagrad.core.model.ModelSpec;
import io.metagrad.core.output.OutputFunction;
import io.metagrad.core.tensor.Precision;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hand-written step VJPs (reusing the replay's activations and recovering Adam's gradient, or
 * recomputing both) against backward passes through recorded graphs: the same metagradient to float64
 * rounding, for networks the exactness matrix does not hold (GELU without normalization,
 * two hidden layers, scaled logits), every optimizer and metaparameter kind, and several outputs;
 * and the recorded graph is still what steps without a hand-written VJP use.
 */
class ExplicitVjpTest {

    private static final int STEPS = 9;

    static Stream<Arguments> networks() {
        ModelSpec[] specs = {
            new ModelSpec.Mlp(new int[] {SmallProblems.INPUT, 5, SmallProblems.CLASSES}, ModelSpec.Activation.GELU, false, 1.0),
            new ModelSpec.Mlp(new int[] {SmallProblems.INPUT, 6, 4, SmallProblems.CLASSES}, ModelSpec.Activation.TANH, false, 0.6),
            new ModelSpec.Mlp(new int[] {SmallProblems.INPUT, 5, 3, SmallProblems.CLASSES}, ModelSpec.Activation.GELU, false, 1.3),
        };
        Stream.Builder<Arguments> all = Stream.builder();
        for (ModelSpec spec : specs) {
            for (OptimizerKind o : OptimizerKind.values()) {
                for (MetaKind z : MetaKind.values()) {
                    all.add(Arguments.of(spec, o, z));
                }
            }
        }
        return all.build();
    }

    private static TrainConfig config(ModelSpec model, OptimizerKind optimizer, Precision precision) {
        return SmallProblems.config(ModelKind.MLP_TANH, optimizer, STEPS, precision).toBuilder().model(model).build();
    }

    @ParameterizedTest(name = "{0} × {1} × {2}")
    @MethodSource("networks")
    void explicitEqualsRecordedGraph(ModelSpec model, OptimizerKind optimizer, MetaKind kind) {
        TrainConfig config = config(model, optimizer, Precision.FLOAT64);
        TrainingData data = SmallProblems.data(ModelKind.MLP_TANH, 1, SmallProblems.EXAMPLES);
        MetagradientProblem problem = new MetagradientProblem(config, data, SmallProblems.metaparameter(kind, config, data),
                OutputFunction.perExampleLosses(SmallProblems.data(ModelKind.MLP_TANH, 2, 3)));

        MetagradientResult recorded = Metagradients.compute(problem, 3, VjpMethod.RECORDED_GRAPH);
        assertFalse(recorded.stats().explicitVjp());
        for (VjpMethod method : new VjpMethod[] {VjpMethod.EXPLICIT, VjpMethod.EXPLICIT_RECOMPUTING}) {
            MetagradientResult explicit = Metagradients.compute(problem, 3, method);
            assertTrue(explicit.stats().explicitVjp());
            for (int q = 0; q < 3; q++) {
                double error = FiniteDifferences.relativeError(explicit.gradients()[q], recorded.gradients()[q]);
                assertTrue(error <= 1e-11, method + ", output " + q + ": relative difference to the recorded graph " + error);
            }
        }
    }

    @Test
    void explicitMatchesFiniteDifferencesOnAGeluNetwork() {
        TrainConfig config = config(
                new ModelSpec.Mlp(new int[] {SmallProblems.INPUT, 5, 4, SmallProblems.CLASSES}, ModelSpec.Activation.GELU, false, 0.8),
                OptimizerKind.ADAM, Precision.FLOAT64);
        TrainingData data = SmallProblems.data(ModelKind.MLP_TANH, 1, SmallProblems.EXAMPLES);
        for (MetaKind kind : MetaKind.values()) {
            MetagradientProblem problem = new MetagradientProblem(config, data, SmallProblems.metaparameter(kind, config, data),
                    OutputFunction.meanLoss(SmallProblems.data(ModelKind.MLP_TANH, 2, 6)));
            MetagradientResult result = Metagradients.compute(problem, 4);
            double error = FiniteDifferences.relativeError(result.gradient(), FiniteDifferences.gradient(problem, 1e-5));
            assertTrue(result.stats().explicitVjp());
            assertTrue(error <= 1e-6, kind + ": normwise relative error " + error);
        }
    }

    @Test
    void explicitIsBitwiseTheSameForEveryK() {
        TrainConfig config = config(
                new ModelSpec.Mlp(new int[] {SmallProblems.INPUT, 6, 4, SmallProblems.CLASSES}, ModelSpec.Activation.GELU, false, 1.0),
                OptimizerKind.NESTEROV, Precision.FLOAT32).toBuilder().steps(23).schedule(new Schedule.Constant(0.2)).build();
        TrainingData data = SmallProblems.data(ModelKind.MLP_TANH, 1, SmallProblems.EXAMPLES);
        MetagradientProblem problem = new MetagradientProblem(config, data,
                SmallProblems.metaparameter(MetaKind.LEARNING_RATES, config, data),
                OutputFunction.perExampleLosses(SmallProblems.data(ModelKind.MLP_TANH, 2, 2)));
        MetagradientResult storeAll = Metagradients.compute(problem, 23);
        for (int k : new int[] {2, 3, 5}) {
            MetagradientResult replayed = Metagradients.compute(problem, k);
            for (int q = 0; q < 2; q++) {
                assertArrayEquals(storeAll.gradients()[q], replayed.gradients()[q], 0.0, "k = " + k + ", output " + q);
            }
            assertTrue(replayed.stats().peakStates() <= replayed.stats().stateBound(), "k = " + k);
        }
    }

    @Test
    void stepsWithoutAHandWrittenVjpUseTheRecordedGraph() {
        for (ModelKind model : new ModelKind[] {ModelKind.MLP_GELU_NORM, ModelKind.CLIP_LEARNED}) {
            TrainConfig config = SmallProblems.config(model, OptimizerKind.MOMENTUM, 4, Precision.FLOAT64);
            TrainingData data = SmallProblems.data(model, 1, SmallProblems.EXAMPLES);
            MetagradientProblem problem = new MetagradientProblem(config, data,
                    SmallProblems.metaparameter(MetaKind.WEIGHTS, config, data), OutputFunction.meanLoss(SmallProblems.data(model, 2, 6)));
            assertFalse(Metagradients.compute(problem, 2).stats().explicitVjp(), model.name());
        }
        TrainConfig clipped = SmallProblems.config(ModelKind.MLP_TANH, OptimizerKind.MOMENTUM, 4, Precision.FLOAT64)
                .toBuilder().gradClipNorm(0.5).build();
        TrainingData data = SmallProblems.data(ModelKind.MLP_TANH, 1, SmallProblems.EXAMPLES);
        MetagradientProblem problem = new MetagradientProblem(clipped, data,
                SmallProblems.metaparameter(MetaKind.WEIGHTS, clipped, data), OutputFunction.meanLoss(data));
        assertFalse(Metagradients.compute(problem, 2).stats().explicitVjp(), "gradient clipping");
    }
}
