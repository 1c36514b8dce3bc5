package io.metagrad.core.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.core.SmallProblems;
import io.metagrad.core.SmallProblems.MetaKind;
import io.metagrad.core.SmallProblems.ModelKind;
import io.metagrad.core.SmallProblems.OptimizerKind;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.mgd.MetagradientProblem;
import io.metagrad.core.mgd.MetagradientResult;
import io.metagrad.core.mgd.Metagradients;
import io.metagrad.core.output.OutputFunction;
import io.metagrad.core.tensor.Precision;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** REPLAY with any k gives bitwise the store-everything metagradient, within its memory bound. */
class ReplayBitwiseTest {

    private static final int STEPS = 29;

    @ParameterizedTest(name = "{0} × {1} × {2}")
    @CsvSource({
        "MLP_GELU_NORM, MOMENTUM, WEIGHTS",
        "MLP_TANH, ADAMW, POISON_FEATURES",
        "CLIP_LEARNED, NESTEROV, LEARNING_RATES",
        "LOGISTIC, ADAM, WEIGHT_DECAY"
    })
    void everyKGivesBitwiseTheSameMetagradient(ModelKind model, OptimizerKind optimizer, MetaKind kind) {
        TrainConfig config = SmallProblems.config(model, optimizer, STEPS, Precision.FLOAT32);
        TrainingData data = SmallProblems.data(model, 1, SmallProblems.EXAMPLES);
        MetagradientProblem problem = new MetagradientProblem(config, data,
                SmallProblems.metaparameter(kind, config, data),
                OutputFunction.meanLoss(SmallProblems.data(model, 2, 6)));

        MetagradientResult storeAll = Metagradients.compute(problem, STEPS);
        assertEquals(STEPS + 1, storeAll.stats().peakStates());
        int sqrtK = ReplayPlan.sqrtK(STEPS);
        for (int k : new int[] {2, 3, sqrtK}) {
            MetagradientResult replayed = Metagradients.compute(problem, k);
            assertArrayEquals(storeAll.gradient(), replayed.gradient(), 0.0, "k = " + k);
            assertEquals(Double.doubleToRawLongBits(storeAll.value()), Double.doubleToRawLongBits(replayed.value()));
            assertTrue(replayed.stats().peakStates() <= replayed.stats().stateBound(),
                    "k = " + k + ": peak " + replayed.stats().peakStates() + " > bound " + replayed.stats().stateBound());
            assertTrue(replayed.stats().peakStates() < storeAll.stats().peakStates(), "k = " + k + " saves memory");
            assertEquals(STEPS, replayed.stats().recordedSteps(), "each step is differentiated once");
        }
    }
}
