package io.metagrad.spark.poison;

import java.util.Arrays;

/** Euclidean projection onto the probability simplex {@code {p ≥ 0, Σp = 1}}: where soft labels live. */
final class Simplex {

    private Simplex() {}

    /**
     * Projects {@code v[offset … offset+n)} in place: {@code p_i = max(0, v_i − θ)} with the θ that makes
     * the entries sum to 1 (sort descending; θ from the largest prefix whose entries stay positive).
     */
    static void project(double[] v, int offset, int n) {
        double[] u = Arrays.copyOfRange(v, offset, offset + n);
        Arrays.sort(u);
        double sum = 0;
        double theta = 0;
        for (int k = 1; k <= n; k++) {
            double uk = u[n - k];
            sum += uk;
            double t = (sum - 1) / k;
            if (uk - t > 0) {
                theta = t;
            }
        }
        for (int i = offset; i < offset + n; i++) {
            v[i] = Math.max(0, v[i] - theta);
        }
    }
}
