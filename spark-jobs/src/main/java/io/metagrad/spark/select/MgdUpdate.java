package io.metagrad.spark.select;

import java.util.SplittableRandom;

/**
 * One signed, block-coordinate MGD step on integer counts (method.md §4):
 * {@code c ← max(0, c − sign(g) ⊙ m ⊙ mask)}, where {@code g} is the metagradient of the target
 * loss with respect to the weights at {@code w = c} and the mask keeps each coordinate with
 * probability {@code p}. The mask comes from an RNG seeded by {@code (seed, step)} alone, so a step
 * is reproduced exactly when a run resumes.
 */
final class MgdUpdate {

    private MgdUpdate() {}

    /**
     * @param counts the counts after the step
     * @param delta change of each count (0, +m or −m, clipped at 0)
     * @param masked how many coordinates the mask drew
     */
    record Outcome(int[] counts, int[] delta, int masked) {

        /** Number of counts that changed. */
        int changed() {
            int n = 0;
            for (int d : delta) {
                n += d != 0 ? 1 : 0;
            }
            return n;
        }
    }

    static Outcome apply(int[] counts, double[] metagrad, int stepSize, double p, long seed, int step) {
        if (counts.length != metagrad.length) {
            throw new IllegalArgumentException("counts (" + counts.length + ") and metagradient (" + metagrad.length
                    + ") differ in length");
        }
        for (int i = 0; i < metagrad.length; i++) {
            if (!Double.isFinite(metagrad[i])) {
                throw new IllegalStateException("metagradient of pool row " + i + " is " + metagrad[i] + " at MGD step "
                        + step + "; training diverged (lower --lr or raise --batch-size)");
            }
        }
        SplittableRandom rng = maskRandom(seed, step);
        int[] next = new int[counts.length];
        int[] delta = new int[counts.length];
        int masked = 0;
        for (int i = 0; i < counts.length; i++) {
            boolean drawn = rng.nextDouble() < p;
            next[i] = counts[i];
            if (drawn) {
                masked++;
                double g = metagrad[i];
                int change = g > 0 ? -stepSize : g < 0 ? stepSize : 0;
                next[i] = Math.max(0, counts[i] + change);
            }
            delta[i] = next[i] - counts[i];
        }
        return new Outcome(next, delta, masked);
    }

    /** The mask RNG of {@code step}: a function of the run's seed and the step only. */
    static SplittableRandom maskRandom(long seed, int step) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (step + 1L)));
    }
}
