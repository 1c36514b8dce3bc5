package io.metagrad.core.data;

import java.util.Random;

/**
 * Which examples each step sees: a seeded permutation per epoch, cut into batches of
 * {@code batchSize}; the last partial batch of each epoch is dropped. Deterministic for
 * {@code (seed, n, batchSize)} on every JVM ({@link Random}'s algorithm is specified).
 */
public final class BatchOrder {

    private final long seed;
    private final int size;
    private final int batchSize;
    private final int stepsPerEpoch;
    private int cachedEpoch = -1;
    private int[] cachedPermutation;

    public BatchOrder(long seed, int size, int batchSize) {
        if (batchSize > size) {
            throw new IllegalArgumentException(
                    "train.batchSize = " + batchSize + " invalid; the data has only " + size + " examples");
        }
        this.seed = seed;
        this.size = size;
        this.batchSize = batchSize;
        this.stepsPerEpoch = size / batchSize;
    }

    /** Example indices of step {@code t}, in batch order. */
    public synchronized int[] batch(int t) {
        int epoch = t / stepsPerEpoch;
        if (epoch != cachedEpoch) {
            cachedPermutation = permutation(epoch);
            cachedEpoch = epoch;
        }
        int[] batch = new int[batchSize];
        System.arraycopy(cachedPermutation, (t % stepsPerEpoch) * batchSize, batch, 0, batchSize);
        return batch;
    }

    private int[] permutation(int epoch) {
        Random random = new Random(seed * 0x9E3779B97F4A7C15L + epoch);
        int[] p = new int[size];
        for (int i = 0; i < size; i++) {
            p[i] = i;
        }
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }

    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }
}
