package io.metagrad.core.mgd;

import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.meta.Metaparameter;
import io.metagrad.core.train.TrainingDiverged;
import java.util.Arrays;
import java.util.Locale;

/**
 * The last check before a metagradient leaves {@link Metagradients#compute}: output values and
 * metagradients finite, and — for per-example data weights, whose scale is known (a weight of 1
 * is one example) — no entry off by orders of magnitude: {@code |∂φ/∂w_i|} above
 * {@value #MAX_DATA_WEIGHT_RATIO} × max(|φ|, 1) would predict that removing one example moves the
 * output ten thousand times its own size, which no stable training run does.
 */
public final class MetagradientCheck {

    /** Bound on {@code |∂φ/∂w_i| / max(|φ|, 1)}. */
    public static final double MAX_DATA_WEIGHT_RATIO = 1e4;

    private MetagradientCheck() {}

    /** @throws TrainingDiverged naming what was found */
    public static void require(MetagradientProblem problem, double[] values, double[][] gradients) {
        TrainConfig c = problem.config();
        double peak = Arrays.stream(c.schedule().rates(c.steps())).max().orElse(Double.NaN);
        for (int q = 0; q < values.length; q++) {
            String output = values.length == 1 ? "the output" : "output " + q;
            if (!Double.isFinite(values[q])) {
                throw new TrainingDiverged(TrainingDiverged.Reason.NON_FINITE_OUTPUT, "training diverged: " + output
                        + " after " + c.steps() + " steps is " + values[q], -1, peak, c.gradClipNorm(), c.batchSize());
            }
            double[] g = gradients[q];
            double bound = MAX_DATA_WEIGHT_RATIO * Math.max(Math.abs(values[q]), 1);
            boolean weights = problem.metaparameter() instanceof Metaparameter.DataWeights;
            for (int i = 0; i < g.length; i++) {
                if (!Double.isFinite(g[i])) {
                    throw new TrainingDiverged(TrainingDiverged.Reason.NON_FINITE_METAGRADIENT, "the metagradient of " + output
                            + " is " + g[i] + " at entry " + i + " (the run's output is " + values[q] + ")", -1, peak,
                            c.gradClipNorm(), c.batchSize());
                }
                if (weights && Math.abs(g[i]) > bound) {
                    throw new TrainingDiverged(TrainingDiverged.Reason.METAGRADIENT_ABOVE_BOUND, String.format(Locale.ROOT,
                            "the metagradient of %s with respect to example %d's weight is %.4g, more than %.0g × max(|%s|, 1):"
                                    + " training is unstable", output, i, g[i], MAX_DATA_WEIGHT_RATIO, String.format(Locale.ROOT,
                                    "%.4g", values[q])), -1, peak, c.gradClipNorm(), c.batchSize());
                }
            }
        }
    }
}
