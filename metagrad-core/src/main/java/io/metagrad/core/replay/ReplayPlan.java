package io.metagrad.core.replay;

/**
 * The pure arithmetic of REPLAY (method.md §3): how a segment of steps is cut into {@code k}
 * pieces, how deep the recursion goes, and the bound on states held at once.
 *
 * <p>A segment of at most {@code k} steps is a leaf, replayed while recording its graph and held
 * whole. A longer segment is cut into {@code k} pieces of sizes differing by at most one; only
 * their starts are kept, and the pieces are processed last to first. With {@code k ≥ T} this is
 * "store everything".
 */
public record ReplayPlan(int steps, int k) {

    public ReplayPlan {
        if (steps <= 0) {
            throw new IllegalArgumentException("replay steps = " + steps + " invalid; must be > 0");
        }
        if (k < 2) {
            throw new IllegalArgumentException("replay k = " + k + " invalid; must be >= 2");
        }
    }

    /** Whether the segment {@code [a, b)} is held whole. */
    public boolean isLeaf(int a, int b) {
        return b - a <= k;
    }

    /** The starts {@code c_0 = a < c_1 < … < c_{k-1}} of the pieces of {@code [a, b)}; {@code c_k = b}. */
    public int[] cuts(int a, int b) {
        int n = b - a;
        int base = n / k;
        int extra = n % k;
        int[] c = new int[k + 1];
        for (int j = 0; j <= k; j++) {
            c[j] = a + j * base + Math.min(j, extra);
        }
        return c;
    }

    /** Recursion depth {@code L = ⌈log_k T⌉} (1 when {@code T ≤ k}). */
    public int levels() {
        int levels = 1;
        long span = k;
        while (span < steps) {
            span *= k;
            levels++;
        }
        return levels;
    }

    /**
     * Most training states held at once: {@code k·L + 1}. Each of the {@code L} levels holds at
     * most {@code k} states (the piece starts, or a leaf's states), plus the step being computed.
     */
    public int stateBound() {
        return k * levels() + 1;
    }

    /** {@code k ≈ √T}, the memory/compute balance of the two-level scheme. */
    public static int sqrtK(int steps) {
        return Math.max(2, (int) Math.ceil(Math.sqrt(steps)));
    }
}
