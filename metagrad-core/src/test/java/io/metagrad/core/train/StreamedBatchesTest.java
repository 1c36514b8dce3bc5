package io.metagrad.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.metagrad.core.SmallProblems;
import io.metagrad.core.SmallProblems.ModelKind;
import io.metagrad.core.SmallProblems.OptimizerKind;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.BatchOrder;
import io.metagrad.core.data.ItemKeys;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.meta.Metaparameter;
import io.metagrad.core.mgd.MetagradientProblem;
import io.metagrad.core.mgd.MetagradientResult;
import io.metagrad.core.mgd.Metagradients;
import io.metagrad.core.output.OutputFunction;
import io.metagrad.core.replay.ReplayPlan;
import io.metagrad.core.tensor.Precision;
import io.metagrad.core.tensor.Tensors;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * A run fed batch by batch from float arrays laid out in step order — what a streamed source does —
 * gives bitwise the parameters and metagradients of the same run over data in memory, for every
 * REPLAY k and over several epochs (so examples are reported more than once).
 */
class StreamedBatchesTest {

    /** Each step's rows, features, targets and weights as float arrays, as a layout in step order holds them. */
    static final class SteppedArrays implements Batches {
        private final int[][] rows;
        private final float[][] x;
        private final float[][] y;
        private final float[][] w;
        private final int inputDim;
        private final int targetDim;

        SteppedArrays(TrainingData data, double[] weights, long seed, int batchSize, int steps) {
            BatchOrder order = new BatchOrder(seed, data.itemKeys(), batchSize);
            double[] f = data.features();
            double[] t = data.targets();
            inputDim = data.inputDim();
            targetDim = data.targetDim();
            rows = new int[steps][];
            x = new float[steps][batchSize * inputDim];
            y = new float[steps][batchSize * targetDim];
            w = new float[steps][batchSize];
            for (int s = 0; s < steps; s++) {
                rows[s] = order.batch(s);
                for (int i = 0; i < batchSize; i++) {
                    int r = rows[s][i];
                    for (int j = 0; j < inputDim; j++) {
                        x[s][i * inputDim + j] = (float) f[r * inputDim + j];
                    }
                    for (int j = 0; j < targetDim; j++) {
                        y[s][i * targetDim + j] = (float) t[r * targetDim + j];
                    }
                    w[s][i] = (float) weights[r];
                }
            }
        }

        @Override
        public Batch batch(int t, NDManager manager, Precision p) {
            int b = rows[t].length;
            return new Batch(rows[t].clone(), Tensors.ofFloats(manager, x[t], new Shape(b, inputDim), p),
                    Tensors.ofFloats(manager, y[t], new Shape(b, targetDim), p), Tensors.ofFloats(manager, w[t], new Shape(b), p));
        }

        @Override
        public int inputDim() {
            return inputDim;
        }

        @Override
        public int targetDim() {
            return targetDim;
        }
    }

    /** Float-valued data (as a features table holds it), keyed like a pool by uid. */
    private static TrainingData floatData(ModelKind model, long seed, int n) {
        TrainingData d = SmallProblems.data(model, seed, n);
        double[] f = d.features();
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) f[i];
        }
        String[] uids = IntStream.range(0, n).mapToObj(i -> "uid-" + i).toArray(String[]::new);
        return new TrainingData(n, d.inputDim(), f, d.targetDim(), d.targets()).withItemKeys(ItemKeys.ofUids(uids));
    }

    @ParameterizedTest
    @EnumSource(value = ModelKind.class, names = {"MLP_GELU_NORM", "CLIP_LEARNED"})
    void streamedEqualsInMemoryBitwiseForEveryK(ModelKind kind) {
        int steps = 10; // 12 examples, batch 4: 3 steps per epoch, so every example is seen three or four times
        TrainConfig config = SmallProblems.config(kind, OptimizerKind.ADAMW, steps, Precision.FLOAT32);
        TrainingData data = floatData(kind, 1, SmallProblems.EXAMPLES);
        double[] weights = IntStream.range(0, data.size()).mapToDouble(i -> i % 3).toArray();
        OutputFunction output = OutputFunction.meanLoss(SmallProblems.data(kind, 2, 6));
        MetagradientProblem problem = new MetagradientProblem(config, data, new Metaparameter.DataWeights(weights), output);
        MetagradientResult inMemory = Metagradients.compute(problem, 3);

        for (int k : new int[] {2, 3, ReplayPlan.sqrtK(steps), steps}) {
            double[] summed = new double[data.size()];
            int[] lastStep = {steps};
            Metagradients.Streamed streamed = Metagradients.computeStreamed(config,
                    new SteppedArrays(data, weights, config.seed(), config.batchSize(), steps), output, k,
                    (q, step, rows, g) -> {
                        assertEquals(lastStep[0] - 1, step, "steps arrive last first");
                        lastStep[0] = step;
                        for (int i = 0; i < rows.length; i++) {
                            summed[rows[i]] += g[i];
                        }
                    });
            assertEquals(inMemory.value(), streamed.values()[0], 0.0, "k = " + k);
            assertArrayEquals(inMemory.gradient(), summed, 0.0, "k = " + k);
        }
        List<double[]> trained = Metagradients.train(config,
                new SteppedArrays(data, weights, config.seed(), config.batchSize(), steps));
        List<double[]> reference = Metagradients.train(problem);
        for (int p = 0; p < trained.size(); p++) {
            assertArrayEquals(reference.get(p), trained.get(p), 0.0);
        }
    }

    @Test
    void aSubsetTrainsInTheOrderItsExamplesHaveInTheWholeData() {
        String[] uids = IntStream.range(0, 50).mapToObj(i -> String.format("%032x", i * 7919L)).toArray(String[]::new);
        long[] keys = ItemKeys.ofUids(uids);
        int[] kept = IntStream.range(0, 50).filter(i -> i % 3 != 1).toArray();
        long[] keptKeys = Arrays.stream(kept).mapToLong(i -> keys[i]).toArray();
        for (int epoch = 0; epoch < 3; epoch++) {
            int[] whole = new BatchOrder(11, keys, 5).order(epoch);
            int[] filtered = Arrays.stream(whole).filter(i -> i % 3 != 1).toArray();
            int[] subset = Arrays.stream(new BatchOrder(11, keptKeys, 5).order(epoch)).map(i -> kept[i]).toArray();
            assertArrayEquals(filtered, subset, "epoch " + epoch);
        }
    }
}
