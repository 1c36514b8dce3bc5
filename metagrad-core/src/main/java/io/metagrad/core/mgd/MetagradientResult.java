package io.metagrad.core.mgd;

/**
 * Output values {@code φ_q(A(z))} and their metagradients {@code ∇_z φ_q}, one row per output.
 */
public record MetagradientResult(double[] values, double[][] gradients, RunStats stats) {

    /** The value of a single-output problem. */
    public double value() {
        requireSingle();
        return values[0];
    }

    /** The metagradient of a single-output problem. */
    public double[] gradient() {
        requireSingle();
        return gradients[0].clone();
    }

    private void requireSingle() {
        if (values.length != 1) {
            throw new IllegalStateException("this result holds " + values.length + " outputs; index them");
        }
    }
}
