package io.metagrad.spark.stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sequence;

import io.metagrad.core.data.BatchOrder;
import io.metagrad.core.data.ItemKeys;
import io.metagrad.spark.io.AtomicFiles;
import io.metagrad.spark.io.AtomicOutput;
import io.metagrad.spark.io.Json;
import io.metagrad.spark.io.TableManifest;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Lays out a <em>selection</em> for training: the multiset in which each kept pool item appears as
 * many times as its count, every copy an example of weight 1 with a key of its own
 * ({@link ItemKeys#ofCopy}), in the data order of each seed and epoch ({@link BatchOrder}). Counts
 * thus act as multiplicities in the data order — each step is a batch of {@code B} examples at
 * weight 1 whatever the method, so every selection gets the same gradient mass per step.
 *
 * <p>All passes (seeds × epochs) are written by one Spark job: the copies are exploded and crossed
 * with the passes, range-partitioned by (pass, order key, row, copy) and each partition written as
 * one segment file per pass it holds. No executor holds more than a partition, the driver nothing of
 * pool size. The result is a {@link Layout} that {@link LayoutBatches} streams like any other.
 */
public final class SelectionLayout {

    private static final UserDefinedFunction ORDER_KEY = functions.udf(
            (UDF4<Long, Integer, String, Integer, Long>) (seed, epoch, uid, copy) ->
                    BatchOrder.sortKey(seed, epoch, ItemKeys.ofCopy(ItemKeys.ofUid(uid), copy)),
            DataTypes.LongType);

    private static final StructType PASSES = new StructType()
            .add("pass", DataTypes.IntegerType, false)
            .add("order_seed", DataTypes.LongType, false)
            .add("epoch", DataTypes.IntegerType, false);

    private SelectionLayout() {}

    /**
     * Writes the layout of {@code selected} at {@code dir}, committed all at once.
     *
     * @param selected rows with the columns of {@link IndexedPool#SCHEMA} and an integer {@code count} (rows with
     *     count 0 or less are left out)
     * @param copies the sum of the positive counts: the examples of one pass
     * @param seeds the order seeds, one order each
     * @param epochs passes per seed
     * @param targetDim 0 for labels, else the target-vector width
     */
    public static Layout write(SparkSession spark, IndexedPool pool, Dataset<Row> selected, long copies, String dir,
            List<Long> seeds, int epochs, int targetDim) {
        if (copies < 1) {
            throw new IllegalArgumentException("a selection to lay out keeps no item");
        }
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        AtomicOutput out = AtomicOutput.to(dir, hadoop, true);
        try {
            List<Row> passRows = new ArrayList<>();
            for (int s = 0; s < seeds.size(); s++) {
                for (int e = 0; e < epochs; e++) {
                    passRows.add(RowFactory.create(s * epochs + e, seeds.get(s), e));
                }
            }
            Dataset<Row> passes = spark.createDataFrame(passRows, PASSES);
            Column[] keep = IndexedPool.columns();
            Dataset<Row> exploded = selected.where(col("count").gt(0))
                    .select(concat(keep, explode(sequence(lit(0), col("count").minus(1))).as("copy")))
                    .crossJoin(functions.broadcast(passes))
                    .withColumn("order_key", ORDER_KEY.apply(col("order_seed"), col("epoch"), col("uid"), col("copy")));
            long recordBytes = 4L * (2 + pool.width() + targetDim);
            long total = copies * passRows.size();
            int partitions = (int) Math.max(1, Math.min(100_000,
                    (total * recordBytes + LayoutWriter.SEGMENT_BYTES - 1) / LayoutWriter.SEGMENT_BYTES));
            Column[] order = {col("pass"), col("order_key"), col("row"), col("copy")};
            spark.sparkContext().setJobDescription("layout of a selection: " + copies + " examples, " + passRows.size()
                    + " passes");
            Dataset<Row> ordered = exploded.repartitionByRange(partitions, order).sortWithinPartitions(order)
                    .select(concat(keep, col("pass")));
            List<Written> written = ordered.javaRDD()
                    .mapPartitionsWithIndex(new WriteSegments(new SerializableConfiguration(hadoop), out.stagingPath(),
                            pool.width(), targetDim, seeds, epochs), true)
                    .collect();
            spark.sparkContext().setJobDescription(null);
            List<Layout.Order> orders = new ArrayList<>();
            for (int s = 0; s < seeds.size(); s++) {
                List<List<Layout.Segment>> byEpoch = new ArrayList<>();
                for (int e = 0; e < epochs; e++) {
                    byEpoch.add(segments(written, s * epochs + e, copies));
                }
                orders.add(new Layout.Order(seeds.get(s), byEpoch));
            }
            Layout layout = new Layout(Layout.SCHEMA, copies, pool.width(), targetDim == 0, targetDim, pool.fingerprint(), orders);
            AtomicFiles.writeText(new Path(out.stagingPath(), Layout.FILE).toString(), Json.pretty(layout) + "\n", hadoop);
            TableManifest.of("layout", Layout.SCHEMA).put("rows", copies).put("seeds", seeds).put("epochs", epochs)
                    .put("pool_sha256", pool.fingerprint()).put("multiplicities", true).writeTo(out.stagingPath(), hadoop);
            out.commit();
            return layout;
        } catch (RuntimeException e) {
            out.abort();
            throw e;
        }
    }

    private static Column[] concat(Column[] first, Column last) {
        Column[] all = java.util.Arrays.copyOf(first, first.length + 1);
        all[first.length] = last;
        return all;
    }

    /** The segments of pass {@code pass} in partition order, their first positions running on. */
    private static List<Layout.Segment> segments(List<Written> written, int pass, long copies) {
        List<Written> mine = new ArrayList<>(written.stream().filter(w -> w.pass() == pass).toList());
        mine.sort(Comparator.comparingInt(Written::partition));
        List<Layout.Segment> segments = new ArrayList<>();
        long first = 0;
        for (Written w : mine) {
            segments.add(new Layout.Segment(w.file(), first, w.count()));
            first += w.count();
        }
        if (first != copies) {
            throw new IllegalStateException("selection layout pass " + pass + " wrote " + first + " positions for " + copies
                    + " examples");
        }
        return segments;
    }

    /** One segment file: the part of pass {@code pass} that range partition {@code partition} held. */
    record Written(int pass, int partition, String file, int count) implements java.io.Serializable {}

    /** Writes one sorted range partition as one segment file per pass it holds. */
    private static final class WriteSegments implements Function2<Integer, Iterator<Row>, Iterator<Written>> {
        private static final long serialVersionUID = 1L;
        private final SerializableConfiguration conf;
        private final String staging;
        private final int inputDim;
        private final int targetDim;
        private final List<Long> seeds;
        private final int epochs;

        WriteSegments(SerializableConfiguration conf, String staging, int inputDim, int targetDim, List<Long> seeds, int epochs) {
            this.conf = conf;
            this.staging = staging;
            this.inputDim = inputDim;
            this.targetDim = targetDim;
            this.seeds = List.copyOf(seeds);
            this.epochs = epochs;
        }

        @Override
        public Iterator<Written> call(Integer partition, Iterator<Row> rows) throws IOException {
            List<Written> out = new ArrayList<>();
            LayoutWriter.Columns c = null;
            int pass = -1;
            while (rows.hasNext()) {
                Row r = rows.next();
                int p = r.getInt(5);
                if (p != pass) {
                    flush(out, partition, pass, c);
                    c = new LayoutWriter.Columns(inputDim, targetDim);
                    pass = p;
                }
                c.add(r);
            }
            flush(out, partition, pass, c);
            return out.iterator();
        }

        private void flush(List<Written> out, int partition, int pass, LayoutWriter.Columns c) throws IOException {
            if (c == null || c.count == 0) {
                return;
            }
            String name = String.format(java.util.Locale.ROOT, "seed=%d/epoch=%d/part-%05d.seg", seeds.get(pass / epochs),
                    pass % epochs, partition);
            Path file = new Path(staging, name);
            try (OutputStream o = file.getFileSystem(conf.value()).create(file, true)) {
                SegmentFile.write(o, c.count, inputDim, targetDim, c.rows, c.labels, c.features, c.targets);
            }
            out.add(new Written(pass, partition, name, c.count));
        }
    }
}
