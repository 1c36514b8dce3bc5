package io.metagrad.spark.stream;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.metagrad.core.tensor.Precision;
import io.metagrad.core.tensor.Tensors;
import io.metagrad.core.train.Batches;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A training run's batches read from the {@link Layout} of its training set: step {@code t} of
 * epoch {@code e} is the next {@code B} positions of that epoch's order, each item weighted by its
 * count. Holds the per-item counts (4 bytes an item) and a bounded number of decoded batches (the
 * current one and one read ahead in the background) — never the pool. Yields bitwise the batches of
 * {@link io.metagrad.core.train.InMemoryBatches} over the same items.
 */
public final class LayoutBatches implements Batches {

    private static final int CACHED = 4;

    private final Layout layout;
    private final Layout.Order order;
    private final Path dir;
    private final FileSystem fs;
    private final int batchSize;
    private final int steps;
    private final RowWeights weights;
    private final int classes;
    private final int stepsPerEpoch;
    private final Map<String, SegmentFile.Reader> open = new LinkedHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong bytesRead = new java.util.concurrent.atomic.AtomicLong();
    private final Map<Integer, Future<Decoded>> cache = new LinkedHashMap<>();
    private final ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "layout-read-ahead");
        t.setDaemon(true);
        return t;
    });

    /** The loss weight of each pool row, by row (counts, or counts shifted along a direction). */
    @FunctionalInterface
    public interface RowWeights {
        float weight(int row);
    }

    /** One step's values, decoded, before they become tensors. */
    private record Decoded(int[] rows, float[] x, float[] y, float[] w) {}

    /**
     * @param counts the count (loss weight) of every pool row, indexed by row; null for weight 1 everywhere
     * @param classes width of the one-hot targets of a labels layout (ignored for vectors)
     */
    public LayoutBatches(Layout layout, String dir, long seed, Configuration hadoop, int batchSize, int steps, int[] counts,
            int classes) {
        this(layout, dir, seed, hadoop, batchSize, steps, classes, counts == null ? row -> 1 : row -> counts[row]);
    }

    /** As the constructor, with any per-row {@code weights} (e.g. counts shifted along a direction). */
    public static LayoutBatches weighted(Layout layout, String dir, long seed, Configuration hadoop, int batchSize, int steps,
            RowWeights weights, int classes) {
        return new LayoutBatches(layout, dir, seed, hadoop, batchSize, steps, classes, weights);
    }

    private LayoutBatches(Layout layout, String dir, long seed, Configuration hadoop, int batchSize, int steps, int classes,
            RowWeights weights) {
        this.layout = layout;
        this.order = layout.order(seed);
        this.dir = new Path(dir);
        try {
            this.fs = this.dir.getFileSystem(hadoop);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the layout " + dir, e);
        }
        this.batchSize = batchSize;
        this.steps = steps;
        this.weights = weights;
        this.classes = classes;
        long items = layout.rows();
        if (items < batchSize) {
            throw new IllegalArgumentException("train.batchSize = " + batchSize + " invalid; the data has only " + items
                    + " examples");
        }
        this.stepsPerEpoch = (int) Math.min(Integer.MAX_VALUE, items / batchSize);
        int epochs = (steps + stepsPerEpoch - 1) / stepsPerEpoch;
        if (epochs > order.epochs().size()) {
            throw new IllegalArgumentException(steps + " steps of " + stepsPerEpoch + " per epoch need " + epochs
                    + " epochs, but the layout " + dir + " has " + order.epochs().size());
        }
    }

    @Override
    public synchronized Batch batch(int t, NDManager manager, Precision precision) {
        if (t < 0 || t >= steps) {
            throw new IllegalArgumentException("step " + t + " is outside the run's " + steps + " steps");
        }
        Decoded d = get(t);
        if (t + 1 < steps) {
            ahead(t + 1);
        }
        int b = d.rows().length;
        int targetWidth = d.y().length / b;
        return new Batch(d.rows().clone(), Tensors.ofFloats(manager, d.x(), new Shape(b, layout.inputDim()), precision),
                Tensors.ofFloats(manager, d.y(), new Shape(b, targetWidth), precision),
                Tensors.ofFloats(manager, d.w(), new Shape(b), precision));
    }

    private Decoded get(int t) {
        Future<Decoded> f = ahead(t);
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading step " + t + " from " + dir, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("cannot read step " + t + " from " + dir, cause);
        }
    }

    private Future<Decoded> ahead(int t) {
        Future<Decoded> f = cache.get(t);
        if (f == null) {
            f = reader.submit(() -> decode(t));
            cache.put(t, f);
            if (cache.size() > CACHED) {
                cache.remove(cache.keySet().iterator().next());
            }
        }
        return f;
    }

    /** Reads and decodes step {@code t}'s batch (on the read-ahead thread). */
    private Decoded decode(int t) {
        int epoch = t / stepsPerEpoch;
        int j = t % stepsPerEpoch;
        long from = (long) j * batchSize;
        long to = from + batchSize;
        int d = layout.inputDim();
        int c = layout.labels() ? classes : layout.targetDim();
        int[] rows = new int[batchSize];
        float[] x = new float[batchSize * d];
        float[] y = new float[batchSize * c];
        float[] w = new float[batchSize];
        int filled = 0;
        List<Layout.Segment> segments = order.epochs().get(epoch);
        for (int s = segmentOf(segments, from); from < to; s++) {
            Layout.Segment segment = segments.get(s);
            int start = (int) (from - segment.first());
            int n = (int) Math.min(to - from, segment.count() - start);
            SegmentFile.Reader r = reader(segment);
            bytesRead.addAndGet(4L * n * (2 + d + (layout.labels() ? 0 : c)));
            int[] segmentRows = read(() -> r.rows(start, n));
            float[] features = read(() -> r.features(start, n));
            int[] labels = layout.labels() ? read(() -> r.labels(start, n)) : null;
            float[] targets = layout.labels() ? null : read(() -> r.targets(start, n));
            for (int i = 0; i < n; i++) {
                int row = segmentRows[i];
                rows[filled] = row;
                System.arraycopy(features, i * d, x, filled * d, d);
                if (labels != null) {
                    if (labels[i] < 0 || labels[i] >= c) {
                        throw new IllegalArgumentException("pool row " + row + " has label " + labels[i] + "; must be in [0, "
                                + c + ")");
                    }
                    y[filled * c + labels[i]] = 1;
                } else {
                    System.arraycopy(targets, i * c, y, filled * c, c);
                }
                w[filled] = weights.weight(row);
                filled++;
            }
            from += n;
        }
        if (filled != batchSize) {
            throw new IllegalStateException("step " + t + " read " + filled + " examples from " + dir + "; expected " + batchSize);
        }
        return new Decoded(rows, x, y, w);
    }

    private static int segmentOf(List<Layout.Segment> segments, long position) {
        int lo = 0;
        int hi = segments.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (segments.get(mid).first() <= position) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private SegmentFile.Reader reader(Layout.Segment segment) {
        synchronized (open) {
            SegmentFile.Reader r = open.get(segment.file());
            if (r == null) {
                Path file = new Path(dir, segment.file());
                r = read(() -> new SegmentFile.Reader(fs.open(file), file.toString(), segment.count(), layout.inputDim(),
                        layout.targetDim()));
                open.put(segment.file(), r);
                if (open.size() > CACHED) {
                    SegmentFile.Reader oldest = open.remove(open.keySet().iterator().next());
                    read(() -> {
                        oldest.close();
                        return null;
                    });
                }
            }
            return r;
        }
    }

    private interface Io<T> {
        T call() throws IOException;
    }

    private <T> T read(Io<T> io) {
        try {
            return io.call();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the layout " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int inputDim() {
        return layout.inputDim();
    }

    @Override
    public int targetDim() {
        return layout.labels() ? classes : layout.targetDim();
    }

    /** Bytes of segment data read so far (replays and read-ahead included). */
    public long bytesRead() {
        return bytesRead.get();
    }

    /** Steps in one epoch of this run: {@code ⌊items / B⌋}. */
    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    @Override
    public void close() {
        reader.shutdownNow();
        synchronized (open) {
            for (SegmentFile.Reader r : open.values()) {
                try {
                    r.close();
                } catch (IOException e) {
                    // closing a read-only stream; nothing was written
                }
            }
            open.clear();
        }
    }
}
