package io.metagrad.core.bench;

import java.util.Arrays;

/** The median, quartiles and extremes of repeated measurements. */
public record Spread(double median, double q1, double q3, double min, double max) {

    public static Spread of(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return new Spread(quantile(v, 0.5), quantile(v, 0.25), quantile(v, 0.75), v[0], v[v.length - 1]);
    }

    /** Linear interpolation between order statistics. */
    private static double quantile(double[] sorted, double p) {
        double position = p * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
