package io.metagrad.spark.tune;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The baselines' schedules: a full grid (shape × peak × warmup × final rate) and random search in
 * the same ranges.
 */
final class SearchSpace {

    private SearchSpace() {}

    /**
     * Every combination: COSINE and LINEAR with each final fraction, and CONSTANT (no decay), at each
     * peak and warmup — {@code (2·|finals| + 1)·|peaks|·|warmups|} schedules.
     */
    static List<Candidate> grid(double[] peaks, double[] warmups, double[] finals) {
        List<Candidate> out = new ArrayList<>();
        for (double peak : peaks) {
            for (double warmup : warmups) {
                for (Candidate.Shape shape : new Candidate.Shape[] {Candidate.Shape.COSINE, Candidate.Shape.LINEAR}) {
                    for (double f : finals) {
                        out.add(new Candidate(shape, peak, warmup, f));
                    }
                }
                out.add(new Candidate(Candidate.Shape.CONSTANT, peak, warmup, 1));
            }
        }
        return out;
    }

    /**
     * {@code n} schedules drawn with {@code Random(seed)}: shape uniform, peak log-uniform in
     * {@code [lo, hi]}, warmup and final fraction uniform over the grid's ranges.
     */
    static List<Candidate> random(int n, long seed, double lo, double hi, double[] warmups, double[] finals) {
        Random r = new Random(seed);
        double maxWarmup = max(warmups);
        double maxFinal = max(finals);
        Candidate.Shape[] shapes = Candidate.Shape.values();
        List<Candidate> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Candidate.Shape shape = shapes[r.nextInt(shapes.length)];
            double peak = Math.exp(Math.log(lo) + r.nextDouble() * (Math.log(hi) - Math.log(lo)));
            double warmup = r.nextDouble() * maxWarmup;
            double f = r.nextDouble() * maxFinal;
            out.add(new Candidate(shape, peak, warmup, shape == Candidate.Shape.CONSTANT ? 1 : f));
        }
        return out;
    }

    /** {@code count} values spaced evenly in log between {@code lo} and {@code hi}. */
    static double[] logSpaced(double lo, double hi, int count) {
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
            v[i] = count == 1 ? lo : Math.exp(Math.log(lo) + i * (Math.log(hi) - Math.log(lo)) / (count - 1));
        }
        return v;
    }

    private static double max(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, x);
        }
        return m;
    }
}
