package io.metagrad.core.data;

import java.util.Arrays;

/**
 * Examples as two row-major matrices: features {@code x [n × inputDim]} and targets
 * {@code y [n × targetDim]} (soft labels for classifiers, text embeddings for the CLIP head), and
 * each example's key in the data order ({@link BatchOrder}; by default its position). Immutable;
 * values are checked to be finite.
 */
public final class TrainingData {

    private final int size;
    private final int inputDim;
    private final int targetDim;
    private final double[] features;
    private final double[] targets;
    private final long[] itemKeys;

    public TrainingData(int size, int inputDim, double[] features, int targetDim, double[] targets) {
        this(size, inputDim, features, targetDim, targets, null);
    }

    private TrainingData(int size, int inputDim, double[] features, int targetDim, double[] targets, long[] itemKeys) {
        if (size <= 0 || inputDim <= 0 || targetDim <= 0) {
            throw new IllegalArgumentException(
                    "data dimensions must be > 0, got size=" + size + " inputDim=" + inputDim + " targetDim=" + targetDim);
        }
        if (features.length != (long) size * inputDim) {
            throw new IllegalArgumentException(
                    "data.features has " + features.length + " values; expected " + size + "×" + inputDim);
        }
        if (targets.length != (long) size * targetDim) {
            throw new IllegalArgumentException(
                    "data.targets has " + targets.length + " values; expected " + size + "×" + targetDim);
        }
        requireFinite("features", features, inputDim);
        requireFinite("targets", targets, targetDim);
        this.size = size;
        this.inputDim = inputDim;
        this.targetDim = targetDim;
        this.features = features.clone();
        this.targets = targets.clone();
        if (itemKeys != null && itemKeys.length != size) {
            throw new IllegalArgumentException("data has " + size + " examples but " + itemKeys.length + " item keys");
        }
        this.itemKeys = itemKeys == null ? null : itemKeys.clone();
    }

    /** This data with the given keys for the data order (e.g. {@link ItemKeys#ofUids} of the examples' uids). */
    public TrainingData withItemKeys(long[] keys) {
        return new TrainingData(size, inputDim, features, targetDim, targets, keys);
    }

    /** Each example's key in the data order: as given, or its position. */
    public long[] itemKeys() {
        long[] keys = new long[size];
        for (int i = 0; i < size; i++) {
            keys[i] = itemKey(i);
        }
        return keys;
    }

    private long itemKey(int row) {
        return itemKeys == null ? row : itemKeys[row];
    }

    /** Classification data with integer labels, stored as one-hot targets. */
    public static TrainingData ofLabels(double[][] x, int[] labels, int numClasses) {
        if (x.length != labels.length) {
            throw new IllegalArgumentException("data has " + x.length + " rows but " + labels.length + " labels");
        }
        int d = x.length == 0 ? 0 : x[0].length;
        double[] features = new double[x.length * d];
        double[] targets = new double[x.length * numClasses];
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != d) {
                throw new IllegalArgumentException("data row " + i + " has " + x[i].length + " features; expected " + d);
            }
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException(
                        "data row " + i + " label = " + labels[i] + " invalid; must be in [0, " + numClasses + ")");
            }
            System.arraycopy(x[i], 0, features, i * d, d);
            targets[i * numClasses + labels[i]] = 1;
        }
        return new TrainingData(x.length, d, features, numClasses, targets);
    }

    /** Paired rows, e.g. image and text embeddings for the CLIP head. */
    public static TrainingData ofPairs(double[][] x, double[][] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("data has " + x.length + " feature rows but " + y.length + " target rows");
        }
        return new TrainingData(x.length, x[0].length, flatten(x, "features"), y[0].length, flatten(y, "targets"));
    }

    private static double[] flatten(double[][] rows, String what) {
        int d = rows[0].length;
        double[] flat = new double[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != d) {
                throw new IllegalArgumentException("data." + what + " row " + i + " has " + rows[i].length + " values; expected " + d);
            }
            System.arraycopy(rows[i], 0, flat, i * d, d);
        }
        return flat;
    }

    private static void requireFinite(String what, double[] values, int width) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(
                        "data." + what + " row " + (i / width) + " column " + (i % width) + " = " + values[i] + "; must be finite");
            }
        }
    }

    /** This data with some rows' features and/or targets replaced (used for poisoning). */
    public TrainingData withRows(int[] rows, double[] newFeatures, double[] newTargets) {
        double[] f = features.clone();
        double[] t = targets.clone();
        for (int r = 0; r < rows.length; r++) {
            if (newFeatures != null) {
                System.arraycopy(newFeatures, r * inputDim, f, rows[r] * inputDim, inputDim);
            }
            if (newTargets != null) {
                System.arraycopy(newTargets, r * targetDim, t, rows[r] * targetDim, targetDim);
            }
        }
        return new TrainingData(size, inputDim, f, targetDim, t, itemKeys);
    }

    /** The rows listed, in that order, each keeping its item key (so a subset trains in the pool's order). */
    public TrainingData subset(int[] rows) {
        double[] f = new double[rows.length * inputDim];
        double[] t = new double[rows.length * targetDim];
        long[] keys = new long[rows.length];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(features, rows[r] * inputDim, f, r * inputDim, inputDim);
            System.arraycopy(targets, rows[r] * targetDim, t, r * targetDim, targetDim);
            keys[r] = itemKey(rows[r]);
        }
        return new TrainingData(rows.length, inputDim, f, targetDim, t, keys);
    }

    public int size() { return size; }
    public int inputDim() { return inputDim; }
    public int targetDim() { return targetDim; }

    /** A copy of the features, row-major. */
    public double[] features() { return features.clone(); }

    /** A copy of the targets, row-major. */
    public double[] targets() { return targets.clone(); }

    /** The features of the listed rows, row-major (a copy). */
    public double[] featureRows(int[] rows) {
        return subset(rows).features;
    }

    /** The targets of the listed rows, row-major (a copy). */
    public double[] targetRows(int[] rows) {
        return subset(rows).targets;
    }


    @Override
    public boolean equals(Object o) {
        return o instanceof TrainingData d
                && size == d.size && inputDim == d.inputDim && targetDim == d.targetDim
                && Arrays.equals(features, d.features) && Arrays.equals(targets, d.targets)
                && Arrays.equals(itemKeys(), d.itemKeys());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(features) * 31 + Arrays.hashCode(targets);
    }
}
