package io.metagrad.core;

import io.metagrad.core.mgd.MetagradientProblem;
import io.metagrad.core.mgd.Metagradients;

/** Central finite differences of {@code φ(A(z))}, one coordinate at a time. */
public final class FiniteDifferences {

    private FiniteDifferences() {}

    public static double[] gradient(MetagradientProblem problem, double h) {
        double[] z = problem.metaparameter().value();
        double[] g = new double[z.length];
        for (int j = 0; j < z.length; j++) {
            double[] plus = z.clone();
            double[] minus = z.clone();
            plus[j] += h;
            minus[j] -= h;
            double up = Metagradients.evaluate(problem.at(plus))[0];
            double down = Metagradients.evaluate(problem.at(minus))[0];
            g[j] = (up - down) / (2 * h);
        }
        return g;
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
