package io.metagrad.core.data;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Which examples each step sees: per epoch, every example sorted by a seeded hash of its key
 * ({@link #sortKey}, ties broken by position), cut into batches of {@code batchSize}; the last
 * partial batch of each epoch is dropped.
 *
 * <p>Why a keyed sort rather than a shuffle: a Spark job can lay a pool of any size out in exactly
 * this order by sorting on {@link #sortKey} — no permutation array of pool size exists anywhere — so
 * streamed training reads the same batches as training in memory, bit for bit. And because keys
 * belong to examples ({@link ItemKeys}), a subset trains in the order its examples have in the whole
 * pool. Deterministic for {@code (seed, keys, batchSize)} on every JVM.
 */
public final class BatchOrder {

    private final long seed;
    private final long[] keys;
    private final int batchSize;
    private final int stepsPerEpoch;
    private int cachedEpoch = -1;
    private int[] cachedOrder;

    /** The order of {@code keys.length} examples whose keys are given (position {@code i} has {@code keys[i]}). */
    public BatchOrder(long seed, long[] keys, int batchSize) {
        if (batchSize > keys.length) {
            throw new IllegalArgumentException(
                    "train.batchSize = " + batchSize + " invalid; the data has only " + keys.length + " examples");
        }
        this.seed = seed;
        this.keys = keys.clone();
        this.batchSize = batchSize;
        this.stepsPerEpoch = keys.length / batchSize;
    }

    /** The order of {@code size} examples keyed by their positions {@code 0 … size-1}. */
    public BatchOrder(long seed, int size, int batchSize) {
        this(seed, positions(size), batchSize);
    }

    private static long[] positions(int size) {
        long[] keys = new long[size];
        for (int i = 0; i < size; i++) {
            keys[i] = i;
        }
        return keys;
    }

    /**
     * Where an example with key {@code itemKey} goes in epoch {@code epoch} of a run seeded {@code seed}:
     * examples are sorted by this value (signed), ties by position.
     */
    public static long sortKey(long seed, int epoch, long itemKey) {
        return ItemKeys.mix(ItemKeys.mix(seed ^ 0x243F6A8885A308D3L) + 0x9E3779B97F4A7C15L * (epoch + 1L) + itemKey);
    }

    /** Example positions of step {@code t}, in batch order. */
    public synchronized int[] batch(int t) {
        int epoch = t / stepsPerEpoch;
        if (epoch != cachedEpoch) {
            cachedOrder = order(epoch);
            cachedEpoch = epoch;
        }
        return Arrays.copyOfRange(cachedOrder, (t % stepsPerEpoch) * batchSize, (t % stepsPerEpoch + 1) * batchSize);
    }

    /** Every position, in the order of {@code epoch}. */
    public int[] order(int epoch) {
        long[] sortKeys = new long[keys.length];
        Integer[] order = new Integer[keys.length];
        for (int i = 0; i < keys.length; i++) {
            sortKeys[i] = sortKey(seed, epoch, keys[i]);
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingLong(i -> sortKeys[i]).thenComparingInt(i -> i));
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    public int batchSize() {
        return batchSize;
    }
}
