package io.metagrad.spark.poison;

import java.util.Map;

/**
 * What a method made of the poisoned rows: their new features {@code [m × d]} and labels
 * {@code [m × C]} (one-hot, or soft on the simplex), row-major in the order of
 * {@link PoisonData#rows()}, and what the method wants to report about itself.
 */
record Poison(double[] features, double[] labels, Map<String, Object> details) {

    /** The poison as MGD's iterate {@code z} holds it; the parts it does not optimize stay as they were. */
    static Poison fromIterate(PoisonData d, double[] z, Map<String, Object> details) {
        int[] rows = d.rows();
        int featureLength = d.optimizesFeatures() ? rows.length * d.train().width() : 0;
        double[] features = d.optimizesFeatures() ? java.util.Arrays.copyOfRange(z, 0, featureLength)
                : d.trainData().featureRows(rows);
        double[] labels = d.optimizesLabels() ? java.util.Arrays.copyOfRange(z, featureLength, z.length)
                : d.trainData().targetRows(rows);
        return new Poison(features, labels, details);
    }

    /** The hard label of poisoned row {@code r}: its largest label entry (the first on ties). */
    int label(int r, int classes) {
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (labels[r * classes + c] > labels[r * classes + best]) {
                best = c;
            }
        }
        return best;
    }

    /** Whether row {@code r}'s labels are one-hot. */
    boolean hardLabel(int r, int classes) {
        for (int c = 0; c < classes; c++) {
            double v = labels[r * classes + c];
            if (v != 0 && v != 1) {
                return false;
            }
        }
        return true;
    }
}
