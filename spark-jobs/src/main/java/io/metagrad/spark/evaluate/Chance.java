package io.metagrad.spark.evaluate;

import java.util.Arrays;

/**
 * What guessing scores on a test set: balanced accuracy {@code 1 / classes} (for the classes the
 * set has), give or take its sampling noise. A model at or below that learned nothing, whatever its
 * plain accuracy says on imbalanced classes.
 *
 * @param level balanced accuracy of guessing
 * @param tolerance how far above {@code level} still counts as chance: {@code max(0.02, 1/√n)}
 */
public record Chance(double level, double tolerance) {

    /** Chance on a test set with these labels (negative = unlabeled, ignored). */
    public static Chance of(int[] labels) {
        long classes = Arrays.stream(labels).filter(l -> l >= 0).distinct().count();
        long n = Arrays.stream(labels).filter(l -> l >= 0).count();
        return new Chance(classes == 0 ? Double.NaN : 1.0 / classes, Math.max(0.02, 1 / Math.sqrt(Math.max(1, n))));
    }

    /** What always answering the most frequent class scores in plain accuracy, with the same tolerance. */
    public static Chance ofAccuracy(int[] labels) {
        Chance balanced = of(labels);
        long n = Arrays.stream(labels).filter(l -> l >= 0).count();
        int classes = Arrays.stream(labels).max().orElse(-1) + 1;
        long[] counts = new long[Math.max(classes, 0)];
        for (int l : labels) {
            if (l >= 0) {
                counts[l]++;
            }
        }
        double majority = n == 0 ? Double.NaN : (double) Arrays.stream(counts).max().orElse(0) / n;
        return new Chance(majority, balanced.tolerance());
    }

    /** Whether an accuracy (of the kind this chance is for) is at chance; NaN, a run with no scores, is not flagged. */
    public boolean at(double accuracy) {
        return !Double.isNaN(accuracy) && accuracy <= level + tolerance;
    }
}
