package io.metagrad.spark.featurize;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A seeded Gaussian random projection R^d → R^k: entries drawn from N(0, 1/k) by
 * {@link Random#nextGaussian()} (whose sequence Java specifies exactly), row by row. Every
 * executor regenerates the same matrix from the seed; each JVM keeps the matrices it made.
 */
final class RandomProjection {

    private static final Map<String, float[]> MATRICES = new ConcurrentHashMap<>();

    private RandomProjection() {}

    /** The k × d matrix, row-major. */
    static float[] matrix(long seed, int d, int k) {
        return MATRICES.computeIfAbsent(seed + ":" + d + ":" + k, key -> {
            Random random = new Random(seed);
            double scale = 1 / Math.sqrt(k);
            float[] m = new float[k * d];
            for (int i = 0; i < m.length; i++) {
                m[i] = (float) (random.nextGaussian() * scale);
            }
            return m;
        });
    }

    /** y = R x. */
    static float[] apply(float[] matrix, float[] x, int k) {
        int d = x.length;
        float[] y = new float[k];
        for (int j = 0; j < k; j++) {
            double s = 0;
            int row = j * d;
            for (int i = 0; i < d; i++) {
                s += matrix[row + i] * (double) x[i];
            }
            y[j] = (float) s;
        }
        return y;
    }
}
