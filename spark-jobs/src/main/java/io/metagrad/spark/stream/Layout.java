package io.metagrad.spark.stream;

import com.google.gson.annotations.SerializedName;
import java.io.Serializable;
import java.util.List;

/**
 * {@code layout.json}: how a pool is laid out in training order — one pass over the pool per order
 * seed and epoch, each pass a sequence of segment files holding consecutive positions of that
 * epoch's order ({@link io.metagrad.core.data.BatchOrder}). A run's batches are consecutive
 * positions, so every read is a sequential scan of a few files.
 *
 * @param schema {@code mgd_layout/v1}
 * @param rows pool rows N
 * @param inputDim feature width
 * @param labels whether targets are class labels (one-hot when read) rather than vectors
 * @param targetDim target-vector width (0 with labels)
 * @param poolSha256 fingerprint of the pool it was made from ({@link IndexedPool#fingerprint})
 * @param orders one per order seed, in the order the seeds were given
 */
public record Layout(String schema, long rows, @SerializedName("input_dim") int inputDim, boolean labels,
        @SerializedName("target_dim") int targetDim, @SerializedName("pool_sha256") String poolSha256, List<Order> orders)
        implements Serializable {

    public static final String SCHEMA = "mgd_layout/v1";
    public static final String FILE = "layout.json";

    /** The passes of one order seed, epoch 0 first. */
    public record Order(long seed, List<List<Segment>> epochs) implements Serializable {}

    /**
     * One file of a pass: positions {@code first … first+count-1} of the epoch's order.
     *
     * @param file path relative to the layout directory
     */
    public record Segment(String file, long first, int count) implements Serializable {}

    /** The passes of order seed {@code seed}. */
    public Order order(long seed) {
        return orders.stream().filter(o -> o.seed() == seed).findFirst().orElseThrow(
                () -> new IllegalArgumentException("the layout has no order for seed " + seed));
    }

    /** Bytes of segment data over all passes. */
    public long bytes() {
        long positions = orders.stream().flatMap(o -> o.epochs().stream()).flatMap(List::stream).mapToLong(Segment::count).sum();
        return positions * 4L * (2 + inputDim + targetDim);
    }

    /** Epochs laid out per seed. */
    public int epochs() {
        return orders.isEmpty() ? 0 : orders.get(0).epochs().size();
    }

    /** Whether this layout serves runs over the pool {@code poolSha256} with these seeds, epochs and targets. */
    public boolean serves(String poolSha256, List<Long> seeds, int epochs, boolean labels, int targetDim) {
        return SCHEMA.equals(schema) && this.poolSha256.equals(poolSha256) && this.labels == labels
                && this.targetDim == targetDim && epochs() >= epochs
                && seeds.stream().allMatch(s -> orders.stream().anyMatch(o -> o.seed() == s));
    }
}
