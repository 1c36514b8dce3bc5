package io.metagrad.core.attribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.model.ClipHeadModel;
import io.metagrad.core.model.Model;
import io.metagrad.core.tensor.GradMode;
import io.metagrad.core.tensor.Precision;
import io.metagrad.core.tensor.Tensors;
import java.util.List;

/**
 * Each training example's loss gradient at fixed parameters, flattened, one at a time. For a
 * classifier this is {@code ∇θ ℓ_i}. The CLIP head's contrastive loss has no per-example gradient
 * on its own; there example {@code i}'s gradient is that of its loss within a fixed chunk of
 * {@code chunk} consecutive examples (its in-batch negatives), via a one-hot weight.
 */
public final class PerExampleGradients {

    /** Receives example {@code i}'s flattened gradient (valid only during the call). */
    @FunctionalInterface
    public interface Sink {
        void accept(int example, NDArray gradient);
    }

    private PerExampleGradients() {}

    public static void forEach(Model model, List<NDArray> params, TrainingData data, Precision p,
            NDManager manager, int chunk, Sink sink) {
        boolean contrastive = model instanceof ClipHeadModel;
        int size = contrastive ? Math.max(2, chunk) : 1;
        try (GradMode off = GradMode.off()) {
            for (int start = 0, end; start < data.size(); start = end) {
                end = Math.min(data.size(), start + size);
                if (contrastive && data.size() - end == 1) {
                    end = data.size(); // the last chunk takes a lone remainder: no contrastive batch of one
                }
                int[] rows = new int[end - start];
                for (int r = 0; r < rows.length; r++) {
                    rows[r] = start + r;
                }
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray x = Tensors.of(manager, data.featureRows(rows), new Shape(rows.length, data.inputDim()), p);
                    NDArray y = Tensors.of(manager, data.targetRows(rows), new Shape(rows.length, data.targetDim()), p);
                    for (int r = 0; r < rows.length; r++) {
                        double[] oneHot = new double[rows.length];
                        oneHot[r] = rows.length; // undoes the 1/B of the batch loss
                        NDArray w = Tensors.of(manager, oneHot, new Shape(rows.length), p);
                        sink.accept(rows[r], flatten(model.gradient(params, x, y, w)));
                    }
                }
            }
        }
    }

    /**
     * How many consecutive examples {@link #forEach} scores together: one for a classifier, for the
     * CLIP head {@code max(2, chunk)} (each example's in-batch negatives).
     */
    public static int chunkSize(Model model, int chunk) {
        return model instanceof ClipHeadModel ? Math.max(2, chunk) : 1;
    }

    /**
     * The chunk {@link #forEach} scores example {@code example} of {@code n} in, for chunks of
     * {@code size} ({@link #chunkSize}): consecutive runs of {@code size} examples, a lone last example
     * joining the run before it. The examples of one chunk, scored by themselves, get the gradients
     * {@code forEach} gives them among all {@code n} — so a pool can be scored chunk by chunk.
     */
    public static long chunkOf(long example, long n, int size) {
        long c = example / size;
        return c > 0 && example == n - 1 && n % size == 1 ? c - 1 : c;
    }

    /** The arrays concatenated into one vector. */
    public static NDArray flatten(List<NDArray> arrays) {
        NDList parts = new NDList();
        for (NDArray a : arrays) {
            parts.add(a.reshape(-1));
        }
        return NDArrays.concat(parts);
    }
}
