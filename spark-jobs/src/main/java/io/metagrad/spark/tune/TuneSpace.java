package io.metagrad.spark.tune;

import java.io.Serializable;

/**
 * Where tune-lr's metagradient descent moves: {@code z = (log knot_1 … log knot_K [, log λ])}, the
 * knots of a {@link KnotSchedule} and optionally the weight decay, in log space (a step changes
 * each by a factor, and they stay positive), each inside a box {@code [log lo, log hi]}. By the
 * chain rule {@code ∂φ/∂z_k = knot_k · (Jᵀ ∂φ/∂rates)_k} and {@code ∂φ/∂z_λ = λ · ∂φ/∂λ}.
 */
final class TuneSpace implements Serializable {

    private static final long serialVersionUID = 1L;

    private final KnotSchedule schedule;
    private final boolean weightDecay;
    private final double lrLo;
    private final double lrHi;
    private final double wdLo;
    private final double wdHi;

    TuneSpace(KnotSchedule schedule, double[] lrRange, boolean weightDecay, double[] wdRange) {
        this.schedule = schedule;
        this.weightDecay = weightDecay;
        this.lrLo = Math.log(lrRange[0]);
        this.lrHi = Math.log(lrRange[1]);
        this.wdLo = Math.log(wdRange[0]);
        this.wdHi = Math.log(wdRange[1]);
    }

    KnotSchedule schedule() {
        return schedule;
    }

    boolean tunesWeightDecay() {
        return weightDecay;
    }

    int dimension() {
        return schedule.knots() + (weightDecay ? 1 : 0);
    }

    /** {@code z} for a schedule's per-step rates (sampled at the knots) and a weight decay, projected into the box. */
    double[] start(double[] rates, double lambda) {
        double[] knots = schedule.sample(rates);
        double[] z = new double[dimension()];
        for (int k = 0; k < knots.length; k++) {
            z[k] = Math.log(Math.max(knots[k], Double.MIN_NORMAL));
        }
        if (weightDecay) {
            z[knots.length] = Math.log(lambda);
        }
        project(z);
        return z;
    }

    /** The per-step rates at {@code z}. */
    double[] rates(double[] z) {
        double[] knots = new double[schedule.knots()];
        for (int k = 0; k < knots.length; k++) {
            knots[k] = Math.exp(z[k]);
        }
        return schedule.rates(knots);
    }

    /** The weight decay at {@code z} (only when it is tuned). */
    double weightDecay(double[] z) {
        return Math.exp(z[schedule.knots()]);
    }

    /** {@code ∂φ/∂z} from {@code ∂φ/∂rates} and {@code ∂φ/∂λ} (ignored unless the weight decay is tuned). */
    double[] chain(double[] z, double[] rateGradient, double decayGradient) {
        double[] g = new double[dimension()];
        double[] knots = schedule.adjoint(rateGradient);
        for (int k = 0; k < knots.length; k++) {
            g[k] = Math.exp(z[k]) * knots[k];
        }
        if (weightDecay) {
            g[knots.length] = weightDecay(z) * decayGradient;
        }
        return g;
    }

    /** Clips every coordinate into its box. */
    void project(double[] z) {
        for (int k = 0; k < schedule.knots(); k++) {
            z[k] = Math.min(lrHi, Math.max(lrLo, z[k]));
        }
        if (weightDecay) {
            int k = schedule.knots();
            z[k] = Math.min(wdHi, Math.max(wdLo, z[k]));
        }
    }
}
