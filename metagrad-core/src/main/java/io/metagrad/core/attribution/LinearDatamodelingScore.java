package io.metagrad.core.attribution;

import io.metagrad.core.stats.Spearman;
import java.util.Arrays;
import java.util.Random;

/**
 * The linear datamodeling score (method.md §4): across many random removal sets, the Spearman
 * correlation between predicted and actually retrained outputs, averaged over targets, with a
 * bootstrap interval over the removal sets.
 *
 * <p>Removal means weight 0 with the data order unchanged, the counterfactual that exact influence
 * linearizes.
 */
public final class LinearDatamodelingScore {

    /** The mean LDS over targets, its 95% bootstrap interval, and each target's LDS. */
    public record Result(double mean, double low, double high, double[] perTarget) {}

    private LinearDatamodelingScore() {}

    /**
     * {@code m} seeded subsets, each removing {@code max(1, round(α·n))} distinct examples, ascending: the
     * sets of {@link RemovalSets}, which also decides membership item by item for pools too large to list.
     */
    public static int[][] removalSets(int n, int m, double alpha, long seed) {
        return new RemovalSets(n, m, alpha, seed).all();
    }

    /** Weights with the removed examples at 0 and all others at 1. */
    public static double[] weightsWithout(int n, int[] removed) {
        double[] w = new double[n];
        Arrays.fill(w, 1.0);
        for (int i : removed) {
            w[i] = 0;
        }
        return w;
    }

    /** Linear predictions {@code [targets][subsets]} from scores {@code [targets][examples]}. */
    public static double[][] predictions(double[] values, double[][] scores, int[][] sets) {
        double[][] out = new double[scores.length][sets.length];
        for (int q = 0; q < scores.length; q++) {
            for (int s = 0; s < sets.length; s++) {
                out[q][s] = Attribution.predictAfterRemoval(values[q], scores[q], sets[s]);
            }
        }
        return out;
    }

    /**
     * @param predicted {@code [targets][subsets]}
     * @param actual {@code [targets][subsets]} retrained outputs
     * @param resamples bootstrap resamples of the subsets
     */
    public static Result score(double[][] predicted, double[][] actual, int resamples, long seed) {
        int targets = predicted.length;
        int subsets = predicted[0].length;
        double[] perTarget = new double[targets];
        for (int q = 0; q < targets; q++) {
            perTarget[q] = Spearman.correlation(predicted[q], actual[q]);
        }
        double mean = nanMean(perTarget);
        Random random = new Random(seed);
        double[] boot = new double[resamples];
        double[] p = new double[subsets];
        double[] a = new double[subsets];
        for (int b = 0; b < resamples; b++) {
            int[] pick = new int[subsets];
            for (int s = 0; s < subsets; s++) {
                pick[s] = random.nextInt(subsets);
            }
            double[] lds = new double[targets];
            for (int q = 0; q < targets; q++) {
                for (int s = 0; s < subsets; s++) {
                    p[s] = predicted[q][pick[s]];
                    a[s] = actual[q][pick[s]];
                }
                lds[q] = Spearman.correlation(p, a);
            }
            boot[b] = nanMean(lds);
        }
        Arrays.sort(boot);
        return new Result(mean, quantile(boot, 0.025), quantile(boot, 0.975), perTarget);
    }

    private static double nanMean(double[] v) {
        return Arrays.stream(v).filter(x -> !Double.isNaN(x)).average().orElse(Double.NaN);
    }

    private static double quantile(double[] sorted, double q) {
        double[] finite = Arrays.stream(sorted).filter(x -> !Double.isNaN(x)).toArray();
        if (finite.length == 0) {
            return Double.NaN;
        }
        return finite[(int) Math.min(finite.length - 1, Math.floor(q * finite.length))];
    }
}
