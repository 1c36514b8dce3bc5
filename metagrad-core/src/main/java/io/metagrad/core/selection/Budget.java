package io.metagrad.core.selection;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** How many examples a selection keeps, and which, given scores (higher = keep). */
public record Budget(double fraction, int count) {

    public Budget {
        if (count > 0 == (fraction > 0)) {
            throw new IllegalArgumentException("budget: give exactly one of a fraction in (0, 1] or a count > 0");
        }
        if (fraction > 1) {
            throw new IllegalArgumentException("budget fraction = " + fraction + " invalid; must be in (0, 1]");
        }
    }

    public static Budget ofFraction(double fraction) {
        return new Budget(fraction, 0);
    }

    public static Budget ofCount(int count) {
        return new Budget(0, count);
    }

    /** Examples kept out of {@code n}. */
    public int size(int n) {
        return (int) (count > 0 ? Math.max(1, Math.min(n, count)) : ofPool(fraction, n));
    }

    /**
     * The one rounding rule of every budget given as a fraction (baselines, MGD selections and
     * evaluation alike): {@code round(fraction·n)}, at least 1 and at most {@code n}.
     */
    public static long ofPool(double fraction, long n) {
        return Math.max(1, Math.min(n, Math.round(fraction * n)));
    }

    /** Indices of the highest scores, ascending; ties keep the lower index. */
    public int[] keep(double[] scores) {
        int[] kept = IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i))
                .limit(size(scores.length)).mapToInt(Integer::intValue).toArray();
        Arrays.sort(kept);
        return kept;
    }
}
