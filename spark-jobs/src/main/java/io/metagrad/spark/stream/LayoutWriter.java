package io.metagrad.spark.stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.metagrad.core.data.BatchOrder;
import io.metagrad.core.data.ItemKeys;
import io.metagrad.spark.io.AtomicFiles;
import io.metagrad.spark.io.AtomicOutput;
import io.metagrad.spark.io.Json;
import io.metagrad.spark.io.TableManifest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.util.SerializableConfiguration;
import scala.Tuple3;

/**
 * Lays a training set (a pool, or the part of it a run trains on) out in training order with Spark:
 * for every order seed and epoch, the items sorted by {@link BatchOrder#sortKey} of each item's
 * {@link ItemKeys uid key} (ties by row) — exactly the order an in-memory run over the same items
 * uses — and written as segment files of consecutive positions, one per range partition. No executor
 * holds more than one segment, the driver nothing of pool size.
 */
public final class LayoutWriter {

    /** Aim for segments of about this many bytes: large enough for sequential reads, small enough to buffer. */
    static final long SEGMENT_BYTES = 32L << 20;

    private static final UserDefinedFunction ORDER_KEY = functions.udf(
            (UDF3<Long, Integer, String, Long>) (seed, epoch, uid) -> BatchOrder.sortKey(seed, epoch, ItemKeys.ofUid(uid)),
            DataTypes.LongType);

    private LayoutWriter() {}

    /**
     * Writes the layout of {@code items} (columns of {@link IndexedPool#SCHEMA}: all of {@code pool}'s
     * rows, or some of them) at {@code dir}, committed all at once, for {@code seeds} × {@code epochs}
     * passes, with labels ({@code targetDim == 0}) or target vectors of width {@code targetDim}.
     *
     * @param count how many rows {@code items} holds
     */
    public static Layout write(SparkSession spark, IndexedPool pool, Dataset<Row> items, long count, String dir, List<Long> seeds,
            int epochs, int targetDim) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        AtomicOutput out = AtomicOutput.to(dir, hadoop, true);
        try {
            SerializableConfiguration conf = new SerializableConfiguration(hadoop);
            long recordBytes = 4L * (2 + pool.width() + targetDim);
            int partitions = (int) Math.max(1, Math.min(100_000, (count * recordBytes + SEGMENT_BYTES - 1) / SEGMENT_BYTES));
            List<Layout.Order> orders = new ArrayList<>();
            for (long seed : seeds) {
                List<List<Layout.Segment>> passes = new ArrayList<>();
                for (int epoch = 0; epoch < epochs; epoch++) {
                    String pass = "seed=" + seed + "/epoch=" + epoch;
                    spark.sparkContext().setJobDescription("layout: order seed " + seed + ", epoch " + epoch);
                    Dataset<Row> ordered = items
                            .withColumn("order_key", ORDER_KEY.apply(lit(seed), lit(epoch), col("uid")))
                            .repartitionByRange(partitions, col("order_key"), col("row"))
                            .sortWithinPartitions(col("order_key"), col("row"));
                    List<Tuple3<Integer, String, Integer>> written = ordered.javaRDD()
                            .mapPartitionsWithIndex(new WriteSegment(conf, out.stagingPath(), pass, pool.width(), targetDim), true)
                            .collect();
                    passes.add(segments(written, count, pass));
                }
                orders.add(new Layout.Order(seed, passes));
            }
            spark.sparkContext().setJobDescription(null);
            Layout layout = new Layout(Layout.SCHEMA, count, pool.width(), targetDim == 0, targetDim, pool.fingerprint(), orders);
            AtomicFiles.writeText(new Path(out.stagingPath(), Layout.FILE).toString(), Json.pretty(layout) + "\n", hadoop);
            TableManifest.of("layout", Layout.SCHEMA).put("rows", count).put("seeds", seeds).put("epochs", epochs)
                    .put("pool_sha256", pool.fingerprint()).writeTo(out.stagingPath(), hadoop);
            out.commit();
            return layout;
        } catch (RuntimeException e) {
            out.abort();
            throw e;
        }
    }

    /** The layout committed at {@code dir}, if there is one. */
    public static java.util.Optional<Layout> read(String dir, Configuration hadoop) {
        Path file = new Path(dir, Layout.FILE);
        try {
            FileSystem fs = file.getFileSystem(hadoop);
            if (!fs.exists(file)) {
                return java.util.Optional.empty();
            }
            try (java.io.InputStream in = fs.open(file)) {
                Layout layout = GSON.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8), Layout.class);
                if (layout == null || !Layout.SCHEMA.equals(layout.schema())) {
                    throw new IllegalArgumentException(file + " is not a " + Layout.SCHEMA + " file");
                }
                return java.util.Optional.of(layout);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (com.google.gson.JsonParseException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static final com.google.gson.Gson GSON = new com.google.gson.Gson();

    private static List<Layout.Segment> segments(List<Tuple3<Integer, String, Integer>> written, long rows, String pass) {
        List<Tuple3<Integer, String, Integer>> sorted = new ArrayList<>(written);
        sorted.sort(Comparator.comparing(Tuple3::_1));
        List<Layout.Segment> segments = new ArrayList<>();
        long first = 0;
        for (Tuple3<Integer, String, Integer> w : sorted) {
            segments.add(new Layout.Segment(w._2(), first, w._3()));
            first += w._3();
        }
        if (first != rows) {
            throw new IllegalStateException("layout pass " + pass + " wrote " + first + " positions for " + rows + " items");
        }
        return segments;
    }

    /** Writes one range partition (already sorted) as one segment file; returns (partition, file, count). */
    private static final class WriteSegment
            implements Function2<Integer, Iterator<Row>, Iterator<Tuple3<Integer, String, Integer>>> {
        private static final long serialVersionUID = 1L;
        private final SerializableConfiguration conf;
        private final String staging;
        private final String pass;
        private final int inputDim;
        private final int targetDim;

        WriteSegment(SerializableConfiguration conf, String staging, String pass, int inputDim, int targetDim) {
            this.conf = conf;
            this.staging = staging;
            this.pass = pass;
            this.inputDim = inputDim;
            this.targetDim = targetDim;
        }

        @Override
        public Iterator<Tuple3<Integer, String, Integer>> call(Integer partition, Iterator<Row> rows) throws IOException {
            Columns c = new Columns(inputDim, targetDim);
            while (rows.hasNext()) {
                c.add(rows.next());
            }
            if (c.count == 0) {
                return List.<Tuple3<Integer, String, Integer>>of().iterator();
            }
            String name = pass + String.format("/part-%05d.seg", partition);
            Path file = new Path(staging, name);
            FileSystem fs = file.getFileSystem(conf.value());
            try (OutputStream o = fs.create(file, true)) {
                SegmentFile.write(o, c.count, inputDim, targetDim, c.rows, c.labels, c.features, c.targets);
            }
            return List.of(new Tuple3<>(partition, name, c.count)).iterator();
        }
    }

    /**
     * One partition's positions, column by column, grown as rows arrive: the first five columns of
     * each row are those of {@link IndexedPool#SCHEMA}.
     */
    static final class Columns {
        private final int inputDim;
        private final int targetDim;
        int count;
        int[] rows = new int[1024];
        int[] labels = new int[1024];
        float[] features;
        float[] targets;

        Columns(int inputDim, int targetDim) {
            this.inputDim = inputDim;
            this.targetDim = targetDim;
            this.features = new float[1024 * inputDim];
            this.targets = new float[1024 * targetDim];
        }

        void add(Row r) {
            if (count == rows.length) {
                int n = rows.length * 2;
                rows = java.util.Arrays.copyOf(rows, n);
                labels = java.util.Arrays.copyOf(labels, n);
                features = java.util.Arrays.copyOf(features, n * inputDim);
                targets = java.util.Arrays.copyOf(targets, n * targetDim);
            }
            rows[count] = r.getInt(0);
            labels[count] = r.isNullAt(3) ? -1 : r.getInt(3);
            List<Float> x = r.getList(2);
            for (int j = 0; j < inputDim; j++) {
                features[count * inputDim + j] = x.get(j);
            }
            if (targetDim > 0) {
                List<Float> y = r.getList(4);
                for (int j = 0; j < targetDim; j++) {
                    targets[count * targetDim + j] = y.get(j);
                }
            }
            count++;
        }
    }
}
