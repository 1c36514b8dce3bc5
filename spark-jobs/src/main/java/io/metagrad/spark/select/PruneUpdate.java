package io.metagrad.spark.select;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * One step of {@link UpdateRule#PRUNE}: among the kept items (count &gt; 0), set to 0 the {@code drop}
 * with the largest metagradient — those whose removal is predicted to lower the target loss most.
 * Ties go to the lower row (uid order), so a step is a function of its inputs alone.
 */
final class PruneUpdate {

    private PruneUpdate() {}

    /** How many items each step drops: {@code ⌈fraction · pool⌉}, at least 1. */
    static int perStep(double fraction, int poolSize) {
        return Math.max(1, (int) Math.ceil(fraction * poolSize));
    }

    /** Steps needed to go from the whole pool down to {@code keep} items. */
    static int steps(int poolSize, long keep, double fraction) {
        long excess = Math.max(0, poolSize - keep);
        int per = perStep(fraction, poolSize);
        return (int) ((excess + per - 1) / per);
    }

    /**
     * @param metagrad d(target loss)/d(weight) of the kept rows (other rows are ignored; NaN there)
     * @param drop how many kept items to drop (fewer if fewer are kept)
     * @param step the MGD step, for messages
     */
    static MgdUpdate.Outcome apply(int[] counts, double[] metagrad, int drop, int step) {
        if (counts.length != metagrad.length) {
            throw new IllegalArgumentException("counts (" + counts.length + ") and metagradient (" + metagrad.length
                    + ") differ in length");
        }
        int[] kept = IntStream.range(0, counts.length).filter(i -> counts[i] > 0).toArray();
        for (int i : kept) {
            if (!Double.isFinite(metagrad[i])) {
                throw new IllegalStateException("metagradient of pool row " + i + " is " + metagrad[i] + " at MGD step "
                        + step + "; training diverged (lower --lr or raise --batch-size)");
            }
        }
        Integer[] order = Arrays.stream(kept).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -metagrad[i]).thenComparingInt(i -> i));
        int[] next = counts.clone();
        int[] delta = new int[counts.length];
        for (int r = 0; r < Math.min(drop, order.length); r++) {
            int i = order[r];
            next[i] = 0;
            delta[i] = -counts[i];
        }
        return new MgdUpdate.Outcome(next, delta, kept.length);
    }
}
