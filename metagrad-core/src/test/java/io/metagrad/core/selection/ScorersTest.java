package io.metagrad.core.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.core.config.OptimizerSpec;
import io.metagrad.core.config.Schedule;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.model.ModelSpec;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Each baseline ranks clean examples above examples with flipped labels on an easy problem. */
class ScorersTest {

    @Test
    void uniformJumpsToTheDrawThatRandomMakesInOrder() {
        for (long seed : new long[] {0, 7, -3, Long.MAX_VALUE}) {
            Random r = new Random(seed);
            for (int i = 0; i < 3000; i++) {
                double expected = r.nextDouble();
                assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(Scorers.uniform(seed, i)),
                        "seed " + seed + ", draw " + i);
            }
        }
        Random far = new Random(11);
        for (int i = 0; i < 1_000_000; i++) {
            far.nextDouble();
        }
        assertEquals(far.nextDouble(), Scorers.uniform(11, 1_000_000), 0.0);
    }


    private static final int N = 120;
    private static final boolean[] FLIPPED = new boolean[N];

    private static TrainingData data(long seed, int n, boolean noisy) {
        Random r = new Random(seed);
        double[][] x = new double[n][3];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int j = 0; j < 3; j++) {
                x[i][j] = (j == y[i] ? 2.0 : 0.0) + 0.6 * r.nextGaussian();
            }
            if (noisy && i % 4 == 0) {
                y[i] = (y[i] + 1) % 3;
                FLIPPED[i] = true;
            }
        }
        return TrainingData.ofLabels(x, y, 3);
    }

    private static SelectionTask task(OptimizerSpec optimizer) {
        TrainConfig config = TrainConfig.builder().model(ModelSpec.Mlp.of(3, 8, 3)).optimizer(optimizer)
                .schedule(new Schedule.Constant(optimizer instanceof OptimizerSpec.Adam ? 0.02 : 0.2))
                .batchSize(20).steps(60).seed(1).build();
        return new SelectionTask(config, data(1, N, true), data(2, 30, false), 5);
    }

    private static void ranksCleanAboveFlipped(String name, Function<SelectionTask, double[]> scorer, OptimizerSpec opt) {
        double[] s = scorer.apply(task(opt));
        double clean = 0;
        double flipped = 0;
        for (int i = 0; i < N; i++) {
            if (FLIPPED[i]) {
                flipped += s[i] / (N / 4.0);
            } else {
                clean += s[i] / (N - N / 4.0);
            }
        }
        assertTrue(clean > flipped, name + ": clean mean " + clean + " vs flipped mean " + flipped);
        int[] kept = Budget.ofFraction(0.75).keep(s);
        long flippedKept = java.util.Arrays.stream(kept).filter(i -> FLIPPED[i]).count();
        assertTrue(flippedKept < N / 8, name + " kept " + flippedKept + " of " + N / 4 + " flipped examples");
    }

    @Test
    void lossAgreementInfluenceAndGradSimFilterFlippedLabels() {
        OptimizerSpec sgd = OptimizerSpec.Sgd.momentum(0.9);
        ranksCleanAboveFlipped("loss", Scorers::loss, sgd);
        ranksCleanAboveFlipped("reference agreement", Scorers::referenceAgreement, sgd);
        ranksCleanAboveFlipped("influence", Scorers::influence, sgd);
        ranksCleanAboveFlipped("grad-sim", t -> Scorers.gradientSimilarity(t, 0.5, 3, false), sgd);
        ranksCleanAboveFlipped("grad-sim adam", t -> Scorers.gradientSimilarity(t, 0.5, 3, true), OptimizerSpec.Adam.defaults());
    }

    @Test
    void randomIsSeededAndBudgetsAreExact() {
        SelectionTask t = task(OptimizerSpec.Sgd.plain());
        assertArrayEquals(Scorers.random(t), Scorers.random(t));
        assertEquals(30, Budget.ofFraction(0.25).keep(Scorers.random(t)).length);
        assertArrayEquals(new int[] {1, 3}, Budget.ofCount(2).keep(new double[] {0, 5, 1, 5}));
        assertThrows(IllegalArgumentException.class, () -> new Budget(0.5, 3));
        assertThrows(IllegalArgumentException.class, () -> Budget.ofFraction(1.5));
    }
}
