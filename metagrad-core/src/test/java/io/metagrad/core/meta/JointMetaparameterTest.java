package io.metagrad.core.meta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.core.FiniteDifferences;
import io.metagrad.core.SmallProblems;
import io.metagrad.core.SmallProblems.ModelKind;
import io.metagrad.core.SmallProblems.OptimizerKind;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.mgd.MetagradientProblem;
import io.metagrad.core.mgd.MetagradientResult;
import io.metagrad.core.mgd.Metagradients;
import io.metagrad.core.output.OutputFunction;
import io.metagrad.core.tensor.Precision;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Learning rates and weight decay as one joint metaparameter: exact against finite differences and against the parts alone. */
class JointMetaparameterTest {

    private static final int STEPS = 7;

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = OptimizerKind.class, names = {"MOMENTUM", "NESTEROV", "ADAMW"})
    void jointRatesAndDecayMatchFiniteDifferencesAndThePartsAlone(OptimizerKind optimizer) {
        TrainConfig config = SmallProblems.config(ModelKind.MLP_TANH, optimizer, STEPS, Precision.FLOAT64);
        TrainingData data = SmallProblems.data(ModelKind.MLP_TANH, 1, SmallProblems.EXAMPLES);
        OutputFunction output = OutputFunction.meanLoss(SmallProblems.data(ModelKind.MLP_TANH, 2, 6));
        Metaparameter.LearningRates rates = Metaparameter.LearningRates.of(config);
        Metaparameter.WeightDecay decay = new Metaparameter.WeightDecay(0.03);
        MetagradientProblem joint = new MetagradientProblem(config, data, new Metaparameter.Joint(List.of(rates, decay)), output);

        MetagradientResult r = Metagradients.compute(joint, 3);
        double[] numeric = FiniteDifferences.gradient(joint, 1e-5);
        double error = FiniteDifferences.relativeError(r.gradient(), numeric);
        assertTrue(error <= 1e-6, () -> "normwise relative error " + error + "\nmetagradient " + Arrays.toString(r.gradient())
                + "\nfinite diff. " + Arrays.toString(numeric));

        // Alone, each part sees the same run (the rates run with the decay set, and the other way round).
        TrainConfig decayed = config.toBuilder().optimizer(withDecay(config, 0.03)).build();
        double[] ratesAlone = Metagradients.compute(new MetagradientProblem(decayed, data, rates, output), 3).gradient();
        double[] decayAlone = Metagradients.compute(new MetagradientProblem(config, data, decay, output), 3).gradient();
        assertArrayEquals(ratesAlone, Arrays.copyOfRange(r.gradient(), 0, STEPS), 1e-12);
        assertArrayEquals(decayAlone, Arrays.copyOfRange(r.gradient(), STEPS, STEPS + 1), 1e-12);
    }

    @org.junit.jupiter.api.Test
    void partsMustBeTwoOrMoreOfDistinctKinds() {
        Metaparameter.WeightDecay decay = new Metaparameter.WeightDecay(0.1);
        assertThrows(IllegalArgumentException.class, () -> new Metaparameter.Joint(List.of(decay)));
        assertThrows(IllegalArgumentException.class, () -> new Metaparameter.Joint(List.of(decay, new Metaparameter.WeightDecay(0.2))));
        Metaparameter.Joint j = new Metaparameter.Joint(List.of(new Metaparameter.LearningRates(new double[] {0.1, 0.2}), decay));
        assertArrayEquals(new double[] {0.1, 0.2, 0.1}, j.value());
        assertArrayEquals(new double[] {0.3, 0.4, 0.5}, j.withValue(new double[] {0.3, 0.4, 0.5}).value());
        assertThrows(IllegalArgumentException.class, () -> j.withValue(new double[] {1, 2}));
    }

    private static io.metagrad.core.config.OptimizerSpec withDecay(TrainConfig config, double lambda) {
        if (config.optimizer() instanceof io.metagrad.core.config.OptimizerSpec.Sgd s) {
            return new io.metagrad.core.config.OptimizerSpec.Sgd(s.momentum(), s.nesterov(), lambda);
        }
        io.metagrad.core.config.OptimizerSpec.Adam a = (io.metagrad.core.config.OptimizerSpec.Adam) config.optimizer();
        return new io.metagrad.core.config.OptimizerSpec.Adam(a.beta1(), a.beta2(), a.eps(), a.epsRoot(), lambda, a.decoupled());
    }
}
