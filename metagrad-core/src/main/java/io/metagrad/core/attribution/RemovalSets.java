package io.metagrad.core.attribution;

import io.metagrad.core.data.ItemKeys;

/**
 * The random removal sets of an LDS evaluation ({@link LinearDatamodelingScore}), defined item by
 * item so that no set ever has to be held: set {@code s} removes the items whose place under a
 * seeded pseudorandom permutation of {@code 0 … n-1} (keyed by {@code (seed, s)}) is below
 * {@link #size()}. Every set thus holds exactly {@code max(1, round(α·n))} distinct items, and
 * whether item {@code i} is in set {@code s} is a function of {@code (seed, s, i, n)} alone, computed
 * in constant time — by a Spark partition row by row, or by a retraining task for its own set.
 *
 * <p>The permutation is a four-round Feistel network over the smallest even number of bits that
 * covers {@code n}, cycle-walked into {@code [0, n)}: a value {@code ≥ n} is permuted again until it
 * falls inside, which keeps the map a bijection of {@code [0, n)} (the domain is under {@code 4n}, so
 * fewer than four rounds of walking are needed on average).
 *
 * @param items pool size {@code n}
 * @param subsets number of sets {@code M}, at least 3
 * @param alpha fraction removed from each, in {@code (0, 1)}
 * @param seed seeds every set
 */
public record RemovalSets(long items, int subsets, double alpha, long seed) implements java.io.Serializable {

    private static final int ROUNDS = 4;

    public RemovalSets {
        if (!(alpha > 0 && alpha < 1) || subsets < 3) {
            throw new IllegalArgumentException("LDS needs 0 < alpha < 1 and at least 3 subsets, got alpha=" + alpha
                    + ", m=" + subsets);
        }
        if (items < 1) {
            throw new IllegalArgumentException("removal sets need at least one item, got " + items);
        }
    }

    /** Items in every set: {@code max(1, round(α·n))}. */
    public long size() {
        return Math.max(1, Math.round(alpha * items));
    }

    /** Whether set {@code subset} removes item {@code item} ({@code 0 ≤ item < n}). */
    public boolean removes(int subset, long item) {
        return place(subset, item) < size();
    }

    /** Where {@code item} goes under set {@code subset}'s permutation of {@code 0 … n-1}. */
    long place(int subset, long item) {
        if (subset < 0 || subset >= subsets || item < 0 || item >= items) {
            throw new IllegalArgumentException("set " + subset + " of " + subsets + ", item " + item + " of " + items);
        }
        int bits = Math.max(2, 64 - Long.numberOfLeadingZeros(items - 1));
        int half = (bits + 1) / 2;
        long key = ItemKeys.mix(ItemKeys.mix(seed ^ 0x5851F42D4C957F2DL) + 0xD1B54A32D192ED03L * (subset + 1L));
        long y = permute(item, key, half);
        while (y >= items) {
            y = permute(y, key, half);
        }
        return y;
    }

    /** A bijection of {@code [0, 4^half)}: Feistel rounds on the two {@code half}-bit halves. */
    private static long permute(long x, long key, int half) {
        long mask = (1L << half) - 1;
        long left = x >>> half;
        long right = x & mask;
        for (int r = 0; r < ROUNDS; r++) {
            long next = left ^ (ItemKeys.mix(key + 0x9E3779B97F4A7C15L * (r + 1) + right) & mask);
            left = right;
            right = next;
        }
        return (left << half) | right;
    }

    /** The items of set {@code subset}, ascending (in memory: for pools that fit, and for tests). */
    public int[] set(int subset) {
        if (items > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a set of a pool of " + items + " items does not fit in an array");
        }
        int[] out = new int[(int) size()];
        int filled = 0;
        for (int i = 0; i < items; i++) {
            if (removes(subset, i)) {
                out[filled++] = i;
            }
        }
        return out;
    }

    /** Every set, {@code [subsets][size]}, each ascending. */
    public int[][] all() {
        int[][] sets = new int[subsets][];
        for (int s = 0; s < subsets; s++) {
            sets[s] = set(s);
        }
        return sets;
    }
}
