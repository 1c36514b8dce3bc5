package io.metagrad.core.model;

import java.util.Random;

/**
 * Seeded initial values. Uses {@link java.util.Random}, whose algorithm the Java specification
 * fixes, so the same seed gives the same bits on every JVM.
 */
final class Init {

    private Init() {}

    /** {@code n} values from {@code N(0, std²)}. */
    static double[] gaussian(Random random, int n, double std) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextGaussian() * std;
        }
        return v;
    }
}
