package io.metagrad.spark.tune;

import java.io.Serializable;

/**
 * A learning-rate schedule of {@code T} steps given by {@code K} knots: knot {@code k} sits at step
 * {@code p_k = round(k(T−1)/(K−1))} and the rate between two knots is their linear interpolation, so
 * {@code rates = J · knots} for a fixed sparse {@code T × K} matrix {@code J}; {@code K = 1} is a
 * constant rate and {@code K = T} is one rate per step ({@code J = I}). The metagradient with
 * respect to the knots is {@code Jᵀ} times the one with respect to the per-step rates.
 */
final class KnotSchedule implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int steps;
    private final int[] positions;

    /** @param knots K in [1, T] */
    KnotSchedule(int steps, int knots) {
        if (steps < 1) {
            throw new IllegalArgumentException("tune-lr needs --train-steps >= 1, got " + steps);
        }
        if (knots < 1 || knots > steps) {
            throw new IllegalArgumentException("tune-lr --knots " + knots + " invalid; must be in [1, --train-steps = " + steps
                    + "] (or 0 for one rate per step)");
        }
        this.steps = steps;
        this.positions = new int[knots];
        for (int k = 0; k < knots; k++) {
            positions[k] = knots == 1 ? 0 : (int) Math.round((double) k * (steps - 1) / (knots - 1));
        }
    }

    int steps() {
        return steps;
    }

    int knots() {
        return positions.length;
    }

    /** Step {@code p_k} of every knot. */
    int[] positions() {
        return positions.clone();
    }

    /** {@code J · knots}: the rate of every step. */
    double[] rates(double[] knots) {
        requireLength(knots, positions.length, "knot values");
        double[] r = new double[steps];
        if (positions.length == 1) {
            java.util.Arrays.fill(r, knots[0]);
            return r;
        }
        for (int k = 0; k + 1 < positions.length; k++) {
            int a = positions[k];
            int b = positions[k + 1];
            for (int t = a; t <= b; t++) {
                double w = (double) (t - a) / (b - a);
                r[t] = (1 - w) * knots[k] + w * knots[k + 1];
            }
        }
        return r;
    }

    /** {@code Jᵀ · g}: the gradient with respect to the knots, from the one with respect to every step's rate. */
    double[] adjoint(double[] rateGradient) {
        requireLength(rateGradient, steps, "rate gradient");
        double[] g = new double[positions.length];
        if (positions.length == 1) {
            for (double v : rateGradient) {
                g[0] += v;
            }
            return g;
        }
        for (int k = 0; k + 1 < positions.length; k++) {
            int a = positions[k];
            int b = positions[k + 1];
            // the shared knot step b belongs to the segment [b, …) next; count it once, in the last segment only
            int end = k + 2 == positions.length ? b : b - 1;
            for (int t = a; t <= end; t++) {
                double w = (double) (t - a) / (b - a);
                g[k] += (1 - w) * rateGradient[t];
                g[k + 1] += w * rateGradient[t];
            }
        }
        return g;
    }

    /** The knot values that reproduce {@code rates} at the knots (exactly when the rates are piecewise linear there). */
    double[] sample(double[] rates) {
        requireLength(rates, steps, "rates");
        double[] v = new double[positions.length];
        for (int k = 0; k < positions.length; k++) {
            v[k] = rates[positions[k]];
        }
        return v;
    }

    private static void requireLength(double[] v, int n, String what) {
        if (v.length != n) {
            throw new IllegalArgumentException(what + " has " + v.length + " entries; expected " + n);
        }
    }
}
