package io.metagrad.core.mgd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.core.FiniteDifferences;
import io.metagrad.core.SmallProblems;
import io.metagrad.core.SmallProblems.MetaKind;
import io.metagrad.core.SmallProblems.ModelKind;
import io.metagrad.core.SmallProblems.OptimizerKind;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.output.OutputFunction;
import io.metagrad.core.tensor.Precision;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every model × optimizer × metaparameter kind: the metagradient against float64 central differences. */
class MetagradientExactnessTest {

    private static final int STEPS = 7;

    static Stream<Arguments> everyCombination() {
        Stream.Builder<Arguments> all = Stream.builder();
        for (ModelKind m : ModelKind.values()) {
            for (OptimizerKind o : OptimizerKind.values()) {
                for (MetaKind z : MetaKind.values()) {
                    all.add(Arguments.of(m, o, z));
                }
            }
        }
        return all.build();
    }

    @ParameterizedTest(name = "{0} × {1} × {2}")
    @MethodSource("everyCombination")
    void metagradientMatchesFiniteDifferences(ModelKind model, OptimizerKind optimizer, MetaKind kind) {
        TrainConfig config = SmallProblems.config(model, optimizer, STEPS, Precision.FLOAT64);
        TrainingData data = SmallProblems.data(model, 1, SmallProblems.EXAMPLES);
        TrainingData targets = SmallProblems.data(model, 2, 6);
        MetagradientProblem problem = new MetagradientProblem(
                config, data, SmallProblems.metaparameter(kind, config, data), OutputFunction.meanLoss(targets));

        MetagradientResult result = Metagradients.compute(problem, 3);
        double[] numeric = FiniteDifferences.gradient(problem, 1e-5);

        assertEquals(Metagradients.evaluate(problem)[0], result.value(), 1e-12);
        double error = FiniteDifferences.relativeError(result.gradient(), numeric);
        assertTrue(error <= 1e-6, () -> "normwise relative error " + error + "\nmetagradient "
                + Arrays.toString(result.gradient()) + "\nfinite diff. " + Arrays.toString(numeric));
    }
}
