package io.metagrad.core.smooth;

import io.metagrad.core.mgd.MetagradientProblem;
import io.metagrad.core.mgd.Metagradients;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * The metasmoothness estimator (method.md §5): how close to linear the map {@code z → θ_T} is along
 * random directions. Needs three training runs per direction and no metagradient. For a direction
 * {@code v ~ N(0, I)} and step {@code h}: {@code Δ1 = (θ(z+hv) − θ(z))/h},
 * {@code Δ2 = (θ(z+2hv) − θ(z+hv))/h}, {@code d = |θ(z+2hv) − θ(z)|} and
 * {@code S = Σ_j (d_j/‖d‖₁)·sign(Δ1_j)·sign(Δ2_j) ∈ [−1, 1]}; 1 means smooth.
 */
public final class Metasmoothness {

    /** Per-direction values and their mean. */
    public record Estimate(double[] perDirection, double mean, double step, long seed) {}

    private Metasmoothness() {}

    /**
     * @param problem the training run and the metaparameter at {@code z} (its output is unused)
     * @param directions number of random directions {@code D}
     * @param step {@code h}
     * @param seed seeds the directions
     */
    public static Estimate estimate(MetagradientProblem problem, int directions, double step, long seed) {
        if (directions < 1 || !(step > 0)) {
            throw new IllegalArgumentException("smoothness needs directions >= 1 and step > 0, got " + directions + ", " + step);
        }
        double[] base = trainedParameters(problem);
        double[] values = new double[directions];
        for (int r = 0; r < directions; r++) {
            values[r] = alongDirection(problem, base, r, step, seed);
        }
        return new Estimate(values, Arrays.stream(values).average().orElseThrow(), step, seed);
    }

    /** {@code θ(z)} flattened: the base run every direction shares. */
    public static double[] trainedParameters(MetagradientProblem problem) {
        return flatten(Metagradients.train(problem));
    }

    /**
     * {@code S} along direction {@code r} (its own seeded {@code v}, so directions can be computed
     * independently, e.g. one per Spark task, with the same result).
     */
    public static double alongDirection(MetagradientProblem problem, double[] base, int r, double step, long seed) {
        double[] z = problem.metaparameter().value();
        double[] v = direction(z.length, r, seed);
        double[] one = trainedParameters(problem.at(shifted(z, v, step)));
        double[] two = trainedParameters(problem.at(shifted(z, v, 2 * step)));
        return along(base, one, two, step);
    }

    /** Direction {@code r}: {@code v ~ N(0, I)} from a seed derived from {@code (seed, r)}. */
    public static double[] direction(int dim, int r, long seed) {
        Random random = new Random(seed * 1_000_003L + r);
        double[] v = new double[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }

    /**
     * Coordinate {@code row} of direction {@code r} as a pure function of {@code (seed, r, row)}: a
     * standard normal draw, so that tasks streaming a pool of any size shift each item's weight along
     * the same direction without holding it.
     */
    public static double keyedGaussian(long seed, int r, long row) {
        long key = seed * 0x9E3779B97F4A7C15L + r * 0xC2B2AE3D27D4EB4FL + row * 0x165667B19E3779F9L;
        return new SplittableRandom(key).nextGaussian();
    }

    /** {@code S} from the three parameter vectors {@code θ(z), θ(z+hv), θ(z+2hv)}. */
    public static double along(double[] theta0, double[] thetaH, double[] theta2H, double step) {
        double l1 = 0;
        double[] d = new double[theta0.length];
        for (int j = 0; j < d.length; j++) {
            d[j] = Math.abs(theta2H[j] - theta0[j]);
            l1 += d[j];
        }
        if (l1 == 0) {
            return 1.0; // θ does not move along v: trivially linear
        }
        double s = 0;
        for (int j = 0; j < d.length; j++) {
            double delta1 = (thetaH[j] - theta0[j]) / step;
            double delta2 = (theta2H[j] - thetaH[j]) / step;
            s += d[j] / l1 * Math.signum(delta1) * Math.signum(delta2);
        }
        return s;
    }

    private static double[] shifted(double[] z, double[] v, double by) {
        double[] out = z.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += by * v[i];
        }
        return out;
    }

    /** Parameter tensors flattened into one vector, in order. */
    public static double[] flatten(List<double[]> params) {
        int n = params.stream().mapToInt(p -> p.length).sum();
        double[] out = new double[n];
        int at = 0;
        for (double[] p : params) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
