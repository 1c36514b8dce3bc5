package io.metagrad.spark.stream;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.util.SerializableConfiguration;

/**
 * A compact per-item int array on storage (e.g. the counts after an MGD step): one value per pool
 * row {@code 0 … N-1}, written by Spark as part files of consecutive rows and read whole by a task
 * that needs it (4 bytes an item). Part file, little-endian: {@code long firstRow, int count,
 * int[count] values}.
 */
public final class ItemInts {

    private static final long PART_VALUES = 4L << 20;

    private ItemInts() {}

    /** Writes column {@code value} of {@code rows} (columns {@code row, value}, one row per item) under {@code dir}. */
    public static void write(Dataset<Row> rows, String dir, long items, Configuration hadoop) {
        int parts = (int) Math.max(1, (items + PART_VALUES - 1) / PART_VALUES);
        SerializableConfiguration conf = new SerializableConfiguration(hadoop);
        Dataset<Row> values = rows.select(col("row"), col("value"));
        // One part needs no range sampling: a single sorted partition.
        Dataset<Row> ranged = parts == 1 ? values.coalesce(1) : values.repartitionByRange(parts, col("row"));
        List<Long> written = ranged.sortWithinPartitions(col("row")).javaRDD().mapPartitionsWithIndex(new WritePart(conf, dir), true).collect();
        long total = written.stream().mapToLong(Long::longValue).sum();
        if (total != items) {
            throw new IllegalStateException("wrote " + total + " values under " + dir + " for " + items + " items");
        }
    }

    /** The whole array from the part files under {@code dir}; every row must appear exactly once. */
    public static int[] read(String dir, long items, Configuration hadoop) {
        if (items > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a per-item array holds at most " + Integer.MAX_VALUE + " items");
        }
        int[] values = new int[(int) items];
        long covered = 0;
        Path root = new Path(dir);
        try {
            FileSystem fs = root.getFileSystem(hadoop);
            for (FileStatus part : fs.listStatus(root, p -> p.getName().startsWith("part-") && p.getName().endsWith(".bin"))) {
                try (InputStream in = fs.open(part.getPath())) {
                    ByteBuffer header = ByteBuffer.wrap(in.readNBytes(12)).order(ByteOrder.LITTLE_ENDIAN);
                    long first = header.getLong();
                    int count = header.getInt();
                    if (first < 0 || first + count > items) {
                        throw new IllegalArgumentException(part.getPath() + " holds rows " + first + "…" + (first + count - 1)
                                + " of a pool of " + items);
                    }
                    byte[] bytes = in.readNBytes(4 * count);
                    if (bytes.length != 4 * count) {
                        throw new IllegalArgumentException(part.getPath() + " is truncated");
                    }
                    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(values, (int) first, count);
                    covered += count;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
        if (covered != items) {
            throw new IllegalArgumentException(dir + " holds " + covered + " values for " + items + " items");
        }
        return values;
    }

    /** Writes one range partition of (row, value) rows, sorted by row and consecutive, as one part file. */
    private static final class WritePart implements Function2<Integer, Iterator<Row>, Iterator<Long>> {
        private static final long serialVersionUID = 1L;
        private final SerializableConfiguration conf;
        private final String dir;

        WritePart(SerializableConfiguration conf, String dir) {
            this.conf = conf;
            this.dir = dir;
        }

        @Override
        public Iterator<Long> call(Integer partition, Iterator<Row> rows) throws IOException {
            if (!rows.hasNext()) {
                return List.<Long>of().iterator();
            }
            int[] values = new int[1 << 16];
            int n = 0;
            long first = -1;
            while (rows.hasNext()) {
                Row r = rows.next();
                int row = r.getInt(0);
                if (first < 0) {
                    first = row;
                } else if (row != first + n) {
                    throw new IllegalStateException("rows are not consecutive at row " + row + " (expected " + (first + n) + ")");
                }
                if (n == values.length) {
                    values = java.util.Arrays.copyOf(values, n * 2);
                }
                values[n++] = r.getInt(1);
            }
            Path file = new Path(dir, String.format("part-%05d.bin", partition));
            ByteBuffer b = ByteBuffer.allocate(12 + 4 * n).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(first).putInt(n);
            b.asIntBuffer().put(values, 0, n);
            try (OutputStream o = file.getFileSystem(conf.value()).create(file, true)) {
                o.write(b.array());
            }
            return List.of((long) n).iterator();
        }
    }
}
