package io.metagrad.core.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.core.bench.MetagradBenchmark;
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
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Resident memory stays flat over thousands of reverse steps (no per-step native leak). */
class NativeMemoryTest {

    @Test
    void residentMemoryDoesNotGrowWithReverseSteps() {
        Random r = new Random(5);
        int n = 256;
        int d = 64;
        double[][] x = new double[n][d];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = r.nextGaussian();
            }
            labels[i] = x[i][0] > 0 ? 1 : 0;
        }
        TrainingData data = TrainingData.ofLabels(x, labels, 2);
        TrainConfig config = TrainConfig.builder()
                .model(ModelSpec.Mlp.of(d, 64, 2))
                .optimizer(OptimizerSpec.Adam.defaults())
                .schedule(new Schedule.Constant(1e-3))
                .batchSize(32)
                .steps(500)
                .build();
        MetagradientProblem problem = new MetagradientProblem(
                config, data, Metaparameter.DataWeights.ones(n), OutputFunction.meanLoss(data));

        for (int i = 0; i < 3; i++) {
            Metagradients.compute(problem, 8);
        }
        System.gc();
        double before = MetagradBenchmark.residentMegabytes();
        long reverseSteps = 0;
        for (int i = 0; i < 9; i++) {
            MetagradientResult result = Metagradients.compute(problem, 8);
            reverseSteps += result.stats().recordedSteps();
            System.gc(); // keeps the Java heap's share of RSS from masking or mimicking a native leak
        }
        double after = MetagradBenchmark.residentMegabytes();
        assertEquals(4500, reverseSteps);
        // The createGraph leak this design avoids costs ~1.7 MB per step; 10 kB per step would add 45 MB here.
        assertTrue(after - before < 40, "RSS grew from " + before + " MB to " + after + " MB over " + reverseSteps + " reverse steps");
    }
}
