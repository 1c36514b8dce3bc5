package io.metagrad.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.metagrad.core.data.BatchOrder;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.tensor.Precision;
import io.metagrad.core.tensor.Tensors;

/**
 * Batches of data held in memory: the whole data as three tensors (features, targets, weights),
 * from which each step gathers its rows in {@link BatchOrder}.
 */
public final class InMemoryBatches implements Batches {

    private final BatchOrder order;
    private final int inputDim;
    private final int targetDim;
    private final NDArray features;
    private final NDArray targets;
    /** A column {@code [n, 1]}, so that every step gathers rows alike. */
    private final NDArray weights;

    /** The data's examples with per-example {@code weights}, in the order of {@code seed}; tensors owned by {@code manager}. */
    public InMemoryBatches(TrainingData data, double[] weights, long seed, int batchSize, NDManager manager, Precision p) {
        if (weights.length != data.size()) {
            throw new IllegalArgumentException("data has " + data.size() + " examples but " + weights.length + " weights");
        }
        this.order = new BatchOrder(seed, data.itemKeys(), batchSize);
        this.inputDim = data.inputDim();
        this.targetDim = data.targetDim();
        this.features = Tensors.of(manager, data.features(), new Shape(data.size(), inputDim), p);
        this.targets = Tensors.of(manager, data.targets(), new Shape(data.size(), targetDim), p);
        this.weights = Tensors.of(manager, weights, new Shape(data.size(), 1), p);
    }

    @Override
    public Batch batch(int t, NDManager manager, Precision precision) {
        int[] rows = order.batch(t);
        long[] index = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            index[i] = rows[i];
        }
        NDArray select = Tensors.indices(manager, index);
        return new Batch(rows, Tensors.rows(features, select), Tensors.rows(targets, select),
                Tensors.rows(weights, select).reshape(rows.length));
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
