package io.metagrad.spark.train;

import io.metagrad.core.data.ItemKeys;
import io.metagrad.core.data.TrainingData;
import io.metagrad.spark.io.FeatureMatrix;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.IntStream;

/**
 * The rows of one features table, ready to train on: sorted by uid (so that the row order, and with
 * it every training run, does not depend on how the table was split into files), checked (unique
 * uids; features and targets of one width each) and stored compactly enough to broadcast: float
 * features (the table's own type, so nothing is lost), class labels and/or target vectors. They
 * become {@link TrainingData} with one-hot labels ({@link #withLabels}) or with the target vectors
 * ({@link #withTargets}).
 */
public final class FeatureRows implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final String[] uids;
    private final int width;
    private final float[] features;
    private final int[] labels;
    private final int targetWidth;
    private final float[] targets;

    private FeatureRows(String source, String[] uids, int width, float[] features, int[] labels, int targetWidth, float[] targets) {
        this.source = source;
        this.uids = uids;
        this.width = width;
        this.features = features;
        this.labels = labels;
        this.targetWidth = targetWidth;
        this.targets = targets;
    }

    /** The table read from {@code source}, sorted by uid; fails on duplicate uids or ragged vectors. */
    public static FeatureRows of(FeatureMatrix m, String source) {
        int n = m.uids().length;
        if (n == 0) {
            throw new IllegalArgumentException("features table " + source + " has no rows");
        }
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparing(i -> m.uids()[i]));
        int width = m.features()[order[0]].length;
        if (width == 0) {
            throw new IllegalArgumentException("features table " + source + " uid " + m.uids()[order[0]] + ": field 'features' is empty");
        }
        int targetWidth = -1;
        String[] uids = new String[n];
        float[] features = new float[n * width];
        int[] labels = new int[n];
        float[] targets = null;
        for (int r = 0; r < n; r++) {
            int i = order[r];
            uids[r] = m.uids()[i];
            if (r > 0 && uids[r].equals(uids[r - 1])) {
                throw new IllegalArgumentException("features table " + source + ": uid " + uids[r] + " appears more than once");
            }
            double[] x = m.features()[i];
            if (x.length != width) {
                throw new IllegalArgumentException("features table " + source + " uid " + uids[r] + ": field 'features' has "
                        + x.length + " values; other rows have " + width);
            }
            for (int j = 0; j < width; j++) {
                features[r * width + j] = (float) x[j];
            }
            labels[r] = m.labels()[i];
            double[] t = m.targets() == null ? null : m.targets()[i];
            if (t != null) {
                if (targetWidth < 0) {
                    targetWidth = t.length;
                    targets = new float[n * targetWidth];
                    Arrays.fill(targets, Float.NaN);
                }
                if (t.length != targetWidth) {
                    throw new IllegalArgumentException("features table " + source + " uid " + uids[r] + ": field 'target' has "
                            + t.length + " values; other rows have " + targetWidth);
                }
                for (int j = 0; j < targetWidth; j++) {
                    targets[r * targetWidth + j] = (float) t[j];
                }
            }
        }
        return new FeatureRows(source, uids, width, features, labels, Math.max(targetWidth, 0), targets);
    }

    /** Where the rows came from (for messages). */
    public String source() { return source; }

    public int size() { return uids.length; }

    /** Feature width. */
    public int width() { return width; }

    public String uid(int row) { return uids[row]; }

    /** The uids in row order (a copy). */
    public String[] uids() { return uids.clone(); }

    /** The features in row order, row-major, widened to double (a copy). */
    public double[] features() { return widen(features); }

    /** Class id of a row, or -1. */
    public int label(int row) { return labels[row]; }

    /** The class ids in row order, -1 where a row has none (a copy). */
    public int[] labels() { return labels.clone(); }

    /** Width of the target vectors (0 without). */
    public int targetWidth() { return targetWidth; }

    /** Whether the row has a target vector. */
    public boolean hasTarget(int row) {
        return targets != null && !Float.isNaN(targets[row * targetWidth]);
    }

    /** The target vector of a row (null without). */
    public float[] target(int row) {
        return hasTarget(row) ? Arrays.copyOfRange(targets, row * targetWidth, (row + 1) * targetWidth) : null;
    }

    /** Largest class id, or -1 when no row has a label. */
    public int maxLabel() {
        return Arrays.stream(labels).max().orElse(-1);
    }

    /** The rows listed, in that order. */
    public FeatureRows subset(int[] rows) {
        String[] u = new String[rows.length];
        float[] f = new float[rows.length * width];
        int[] l = new int[rows.length];
        float[] t = targets == null ? null : new float[rows.length * targetWidth];
        for (int r = 0; r < rows.length; r++) {
            u[r] = uids[rows[r]];
            System.arraycopy(features, rows[r] * width, f, r * width, width);
            l[r] = labels[rows[r]];
            if (t != null) {
                System.arraycopy(targets, rows[r] * targetWidth, t, r * targetWidth, targetWidth);
            }
        }
        return new FeatureRows(source, u, width, f, l, targetWidth, t);
    }

    /** The first {@code n} rows (uid order); all rows when {@code n} is 0 or at least the size. */
    public FeatureRows first(int n) {
        return n <= 0 || n >= size() ? this : subset(IntStream.range(0, n).toArray());
    }

    /**
     * Features and one-hot labels of {@code classes} classes, each row keyed by its uid in the data
     * order ({@link ItemKeys}), so training in memory visits rows as training streamed from a layout does.
     */
    public TrainingData withLabels(int classes) {
        double[] y = new double[size() * classes];
        for (int r = 0; r < size(); r++) {
            if (labels[r] < 0 || labels[r] >= classes) {
                throw new IllegalArgumentException("features table " + source + " uid " + uids[r] + ": field 'label' = "
                        + (labels[r] < 0 ? "null" : labels[r]) + " invalid; must be in [0, " + classes + ")");
            }
            y[r * classes + labels[r]] = 1;
        }
        return new TrainingData(size(), width, features(), classes, y).withItemKeys(ItemKeys.ofUids(uids));
    }

    /** Features paired with the target vectors (soft labels, or text embeddings for the CLIP head), keyed by uid. */
    public TrainingData withTargets() {
        if (targets == null) {
            throw new IllegalArgumentException("features table " + source + " has no 'target' vectors");
        }
        return new TrainingData(size(), width, features(), targetWidth, widen(targets)).withItemKeys(ItemKeys.ofUids(uids));
    }

    /** A SHA-256 over uids, features, labels and targets: identifies the input a run was made from. */
    public String fingerprint() {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
        for (String u : uids) {
            d.update(u.getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
        }
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16);
        for (float x : features) {
            put(d, chunk, Float.floatToIntBits(x));
        }
        for (int l : labels) {
            put(d, chunk, l);
        }
        if (targets != null) {
            for (float x : targets) {
                put(d, chunk, Float.floatToIntBits(x));
            }
        }
        d.update(chunk.array(), 0, chunk.position());
        return HexFormat.of().formatHex(d.digest());
    }

    private static void put(MessageDigest d, ByteBuffer chunk, int bits) {
        if (chunk.remaining() < 4) {
            d.update(chunk.array(), 0, chunk.position());
            chunk.clear();
        }
        chunk.putInt(bits);
    }

    private static double[] widen(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
