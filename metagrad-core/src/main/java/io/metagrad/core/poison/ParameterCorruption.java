package io.metagrad.core.poison;

import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import java.util.List;

/**
 * A target parameter of lower accuracy near a trained one, for gradient canceling: projected
 * gradient ascent on the mean training loss within an L2 ball around the trained parameters,
 * {@code max L(θ) s.t. ‖θ − θ_c‖₂ ≤ r·‖θ_c‖₂} (the gradient-based parameter corruption that Lu,
 * Kamath &amp; Yu 2023 use to make their target parameters).
 */
public final class ParameterCorruption {

    private ParameterCorruption() {}

    /**
     * @param relativeRadius {@code r}: the ball's radius as a share of {@code ‖θ_c‖₂}, &gt; 0
     * @param steps ascent steps; each moves {@code 2r‖θ_c‖/steps} along the normalized gradient, then projects
     */
    public static List<double[]> corrupt(TrainConfig config, List<double[]> clean, TrainingData data, double relativeRadius,
            int steps) {
        if (!(relativeRadius > 0) || steps < 1) {
            throw new IllegalArgumentException("parameter corruption needs a radius > 0 and steps >= 1, got "
                    + relativeRadius + " and " + steps);
        }
        double radius = relativeRadius * Parameters.norm(clean);
        double stepSize = 2 * radius / steps;
        List<double[]> theta = Parameters.copy(clean);
        for (int s = 0; s < steps; s++) {
            List<double[]> g = TrainingGradient.mean(config, theta, data);
            double norm = Parameters.norm(g);
            if (!(norm > 0) || !Double.isFinite(norm)) {
                break; // a stationary point (or a broken gradient): nothing to ascend
            }
            for (int j = 0; j < theta.size(); j++) {
                double[] t = theta.get(j);
                double[] d = g.get(j);
                for (int i = 0; i < t.length; i++) {
                    t[i] += stepSize * d[i] / norm;
                }
            }
            project(theta, clean, radius);
        }
        return theta;
    }

    /** Pulls {@code theta} back onto the ball of {@code radius} around {@code center}. */
    private static void project(List<double[]> theta, List<double[]> center, double radius) {
        double d2 = 0;
        for (int j = 0; j < theta.size(); j++) {
            double[] t = theta.get(j);
            double[] c = center.get(j);
            for (int i = 0; i < t.length; i++) {
                d2 += (t[i] - c[i]) * (t[i] - c[i]);
            }
        }
        double d = Math.sqrt(d2);
        if (d <= radius) {
            return;
        }
        double f = radius / d;
        for (int j = 0; j < theta.size(); j++) {
            double[] t = theta.get(j);
            double[] c = center.get(j);
            for (int i = 0; i < t.length; i++) {
                t[i] = c[i] + f * (t[i] - c[i]);
            }
        }
    }
}
