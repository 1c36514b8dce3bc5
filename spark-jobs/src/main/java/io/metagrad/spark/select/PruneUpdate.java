package io.metagrad.spark.select;

/**
 * The sizes of {@link UpdateRule#PRUNE}: each step drops, among the kept items (count &gt; 0), the
 * {@link #perStep} with the largest metagradient — those whose removal is predicted to lower the
 * target loss most — ties to the lower row (uid order), until the budget is left ({@link StepUpdate}
 * does the dropping with Spark).
 */
final class PruneUpdate {

    private PruneUpdate() {}

    /** How many items each step drops: {@code ⌈fraction · pool⌉}, at least 1. */
    static int perStep(double fraction, long poolSize) {
        return (int) Math.max(1, Math.ceil(fraction * poolSize));
    }

    /** Steps needed to go from the whole pool down to {@code keep} items. */
    static int steps(long poolSize, long keep, double fraction) {
        return steps(poolSize, poolSize, keep, fraction);
    }

    /** Steps needed to go from {@code keptAtStart} items (starting counts may exclude some) down to {@code keep}. */
    static int steps(long poolSize, long keptAtStart, long keep, double fraction) {
        long excess = Math.max(0, keptAtStart - keep);
        int per = perStep(fraction, poolSize);
        return (int) ((excess + per - 1) / per);
    }

    /** How many to drop at a step that starts with {@code kept} items, so that none goes below the budget {@code keep}. */
    static long dropAt(long kept, long keep, double fraction, long poolSize) {
        return Math.max(0, Math.min(perStep(fraction, poolSize), kept - keep));
    }
}
