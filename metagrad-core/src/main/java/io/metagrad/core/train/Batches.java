package io.metagrad.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.metagrad.core.tensor.Precision;

/**
 * Where a training run's examples come from: the batch of every step. A run reads step {@code t}'s
 * batch when it trains step {@code t} — forward, replayed, or recorded for the reverse pass — and
 * nothing else, so a source may hold the whole data in memory ({@link InMemoryBatches}) or stream it
 * from storage laid out in step order (spark-jobs' {@code LayoutBatches}). Both must yield the same
 * bits for the same step.
 */
public interface Batches extends AutoCloseable {

    /**
     * One step's examples.
     *
     * @param rows the examples' ids: positions in the run's data for in-memory sources, pool rows for
     *     streamed ones; the metagradient of each example's weight is reported under its id
     * @param x features {@code [B, inputDim]}
     * @param y targets {@code [B, targetDim]}
     * @param w per-example loss weights {@code [B]}
     */
    record Batch(int[] rows, NDArray x, NDArray y, NDArray w) {}

    /**
     * The batch of step {@code t}: fresh arrays in the current scope (so a metaparameter may turn
     * them into autograd leaves), created through {@code manager} in {@code precision}.
     */
    Batch batch(int t, NDManager manager, Precision precision);

    /** Width of {@code x}. */
    int inputDim();

    /** Width of {@code y}. */
    int targetDim();

    /** Releases what the source holds (open files, buffers); its arrays belong to the run's manager. */
    @Override
    default void close() {}
}
