package io.metagrad.spark.train;

import io.metagrad.core.data.TrainingData;
import io.metagrad.spark.io.FeatureMatrix;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * A features table as training data: rows sorted by uid (so results do not depend on how the table
 * was split into files), targets one-hot from {@code label}, or the {@code target} vectors for the
 * CLIP head. Serializable, to broadcast to executors.
 */
public record LabeledTable(String source, String[] uids, int inputDim, double[] features, int targetDim, double[] targets)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * @param pairs use the {@code target} vectors (CLIP head) instead of labels
     * @param classes number of classes for one-hot labels
     */
    public static LabeledTable of(FeatureMatrix m, boolean pairs, int classes, String source) {
        int n = m.size();
        if (n == 0) {
            throw new IllegalArgumentException("features table " + source + " has no rows");
        }
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparing(i -> m.uids()[i]));
        int d = m.dim();
        int t = pairs ? requireTargets(m, source) : classes;
        String[] uids = new String[n];
        double[] x = new double[n * d];
        double[] y = new double[n * t];
        for (int r = 0; r < n; r++) {
            int i = order[r];
            uids[r] = m.uids()[i];
            System.arraycopy(m.features()[i], 0, x, r * d, d);
            if (pairs) {
                System.arraycopy(m.targets()[i], 0, y, r * t, t);
            } else {
                int label = m.labels()[i];
                if (label < 0 || label >= classes) {
                    throw new IllegalArgumentException("features table " + source + " uid " + uids[r] + ": field 'label' = "
                            + label + " invalid; must be in [0, " + classes + ")");
                }
                y[r * t + label] = 1;
            }
        }
        return new LabeledTable(source, uids, d, x, t, y);
    }

    private static int requireTargets(FeatureMatrix m, String source) {
        if (m.targets() == null) {
            throw new IllegalArgumentException("features table " + source + " has no 'target' vectors; the CLIP head needs them");
        }
        return m.targets()[0].length;
    }

    /** The first {@code n} rows (uid order); all rows when {@code n} is 0 or at least the size. */
    public LabeledTable first(int n) {
        if (n <= 0 || n >= uids.length) {
            return this;
        }
        return new LabeledTable(source, Arrays.copyOf(uids, n), inputDim, Arrays.copyOf(features, n * inputDim), targetDim,
                Arrays.copyOf(targets, n * targetDim));
    }

    public int size() {
        return uids.length;
    }

    public TrainingData data() {
        return new TrainingData(uids.length, inputDim, features, targetDim, targets);
    }
}
