package io.metagrad.spark.io;

/**
 * A features (or target) table collected on the driver, row i of every array describing the
 * same item. Arrays are shared, not copied: treat them as read-only.
 *
 * @param uids     item ids, unique
 * @param features feature vectors, all of length {@link #dim()}
 * @param labels   class ids, {@code -1} where the table's label is null
 * @param targets  target vectors (soft labels or paired text embeddings), all of one length, or
 *                 {@code null} when the table has none
 */
public record FeatureMatrix(String[] uids, double[][] features, int[] labels, double[][] targets) {

    public FeatureMatrix {
        if (uids == null || features == null || labels == null) {
            throw new IllegalArgumentException("uids, features and labels are required");
        }
        if (features.length != uids.length || labels.length != uids.length
                || (targets != null && targets.length != uids.length)) {
            throw new IllegalArgumentException("uids, features, labels and targets must have one length each");
        }
    }

    /** Number of rows. */
    public int size() {
        return uids.length;
    }

    /** Feature dimension (0 for an empty table). */
    public int dim() {
        return features.length == 0 ? 0 : features[0].length;
    }

    /** Whether every row has a label. */
    public boolean fullyLabeled() {
        for (int label : labels) {
            if (label < 0) {
                return false;
            }
        }
        return true;
    }

    /** One more than the largest label (0 when no row has a label). */
    public int classes() {
        int max = -1;
        for (int label : labels) {
            max = Math.max(max, label);
        }
        return max + 1;
    }
}
