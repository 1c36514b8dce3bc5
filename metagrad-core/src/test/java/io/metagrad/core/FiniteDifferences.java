package io.metagrad.core;

import io.metagrad.core.mgd.MetagradientProblem;
import io.metagrad.core.mgd.Metagradients;

/**
 * Central finite differences of {@code φ(A(z))}, one coordinate at a time, with one Richardson
 * extrapolation step ({@code (4·D(h/2) − D(h))/3}, error {@code O(h⁴)}): a training run's
 * third derivatives can be large enough that plain central differences are off in the sixth digit.
 */
public final class FiniteDifferences {

    private FiniteDifferences() {}

    public static double[] gradient(MetagradientProblem problem, double h) {
        double[] z = problem.metaparameter().value();
        double[] g = new double[z.length];
        for (int j = 0; j < z.length; j++) {
            g[j] = (4 * central(problem, z, j, h / 2) - central(problem, z, j, h)) / 3;
        }
        return g;
    }

    private static double central(MetagradientProblem problem, double[] z, int j, double h) {
        double[] plus = z.clone();
        double[] minus = z.clone();
        plus[j] += h;
        minus[j] -= h;
        double up = Metagradients.evaluate(problem.at(plus))[0];
        double down = Metagradients.evaluate(problem.at(minus))[0];
        return (up - down) / (2 * h);
    }

    /** {@code ‖a − b‖ / ‖b‖}. */
    public static double relativeError(double[] a, double[] b) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (a[i] - b[i]) * (a[i] - b[i]);
            norm += b[i] * b[i];
        }
        return Math.sqrt(diff) / Math.sqrt(norm);
    }
}
