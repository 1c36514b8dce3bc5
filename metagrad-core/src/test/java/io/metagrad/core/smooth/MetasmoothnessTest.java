package io.metagrad.core.smooth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.core.SmallProblems;
import io.metagrad.core.SmallProblems.ModelKind;
import io.metagrad.core.SmallProblems.OptimizerKind;
import io.metagrad.core.config.OptimizerSpec;
import io.metagrad.core.config.Schedule;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.meta.Metaparameter;
import io.metagrad.core.mgd.MetagradientProblem;
import io.metagrad.core.output.OutputFunction;
import io.metagrad.core.tensor.Precision;
import org.junit.jupiter.api.Test;

class MetasmoothnessTest {

    @Test
    void oneSgdStepIsLinearInWeightsAndRatesSoSmoothnessIsOne() {
        // θ_1 = θ_0 − lr·(1/B)Σ w_i ∇ℓ_i(θ_0): exactly linear in w and in lr.
        TrainConfig config = TrainConfig.builder().model(new io.metagrad.core.model.ModelSpec.LogisticRegression(4, 3))
                .optimizer(OptimizerSpec.Sgd.plain()).schedule(new Schedule.Constant(0.5))
                .batchSize(12).steps(1).precision(Precision.FLOAT64).build();
        TrainingData data = SmallProblems.data(ModelKind.LOGISTIC, 1, 12);
        for (Metaparameter z : new Metaparameter[] {
                Metaparameter.DataWeights.ones(12), Metaparameter.LearningRates.of(config)}) {
            MetagradientProblem problem = new MetagradientProblem(config, data, z, OutputFunction.meanLoss(data));
            Metasmoothness.Estimate s = Metasmoothness.estimate(problem, 3, 0.1, 7);
            assertEquals(3, s.perDirection().length);
            assertEquals(1.0, s.mean(), 1e-9, z.getClass().getSimpleName());
        }
    }

    @Test
    void signFlipsLowerTheScore() {
        double[] theta0 = {0, 0, 0};
        double[] thetaH = {1, 1, -1};
        double[] theta2H = {2, 0, -2}; // coordinate 1 goes up then down
        // d = (2, 0, 2): coordinate 1 has no net move, so S = 1; now make it move back past the start
        assertEquals(1.0, Metasmoothness.along(theta0, thetaH, theta2H, 0.1), 1e-12);
        double[] theta2HBack = {2, -1, -2};
        // d = (2, 1, 2), coordinate 1 flips sign: S = (2 − 1 + 2)/5
        assertEquals(0.6, Metasmoothness.along(theta0, thetaH, theta2HBack, 0.1), 1e-12);
    }

    @Test
    void aHugeLearningRateIsLessSmoothThanASmallOne() {
        TrainingData data = SmallProblems.data(ModelKind.MLP_TANH, 1, 12);
        double calm = smoothness(data, 0.05);
        double wild = smoothness(data, 20.0);
        assertTrue(calm > wild, "calm " + calm + " vs wild " + wild);
        assertTrue(calm > 0.9, "calm " + calm);
    }

    private static double smoothness(TrainingData data, double lr) {
        TrainConfig config = SmallProblems.config(ModelKind.MLP_TANH, OptimizerKind.SGD, 30, Precision.FLOAT64)
                .toBuilder().schedule(new Schedule.Constant(lr)).build();
        return Metasmoothness.estimate(new MetagradientProblem(config, data, Metaparameter.DataWeights.ones(12),
                OutputFunction.meanLoss(data)), 3, 0.1, 3).mean();
    }
}
