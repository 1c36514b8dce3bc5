package io.metagrad.spark.stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import io.metagrad.core.meta.MetagradientSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Metagradients leaving tasks as tables: a task writes every step's contribution
 * {@code (replica, output, step, row, g)} as it comes out of the reverse pass, into one Parquet file
 * of its own; Spark then sums them per item in a fixed order — steps last to first within a replica,
 * then replicas in order, divided by their number — which is exactly how an in-memory run and the
 * driver used to sum them, so the result is bitwise the same, however the rows are partitioned.
 */
public final class GradientParts {

    private static final MessageType SCHEMA = MessageTypeParser.parseMessageType(
            "message gradient { required int32 replica; required int32 output; required int32 step; required int32 row;"
                    + " required double g; }");

    private GradientParts() {}

    /** Writes one task's contributions; committed under its final name only by {@link #close}. */
    public static final class Writer implements MetagradientSink.StreamedWeights.Listener, AutoCloseable {
        private final FileSystem fs;
        private final Path target;
        private final Path temp;
        private final ParquetWriter<Group> writer;
        private final SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
        private final int replica;
        private long rows;

        /** A writer of {@code dir/part-<replica>.parquet}. */
        public Writer(String dir, int replica, Configuration hadoop) {
            this.replica = replica;
            this.target = new Path(dir, String.format("part-%05d.parquet", replica));
            this.temp = new Path(dir, String.format(".part-%05d.%s.tmp", replica, UUID.randomUUID()));
            try {
                this.fs = target.getFileSystem(hadoop);
                this.writer = ExampleParquetWriter.builder(temp).withConf(hadoop).withType(SCHEMA)
                        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE).withCompressionCodec(CompressionCodecName.SNAPPY)
                        .build();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write metagradients to " + dir, e);
            }
        }

        @Override
        public void accept(int output, int step, int[] batch, double[] gradient) {
            try {
                for (int i = 0; i < batch.length; i++) {
                    writer.write(groups.newGroup().append("replica", replica).append("output", output).append("step", step)
                            .append("row", batch[i]).append("g", gradient[i]));
                }
                rows += batch.length;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write metagradients to " + temp, e);
            }
        }

        /** Rows written so far. */
        public long rows() {
            return rows;
        }

        /** Finishes the file and moves it to its final name (replacing what an earlier attempt left). */
        @Override
        public void close() {
            try {
                writer.close();
                if (fs.exists(target)) {
                    fs.delete(target, false); // an earlier attempt of this same task wrote it
                }
                if (!fs.rename(temp, target)) {
                    throw new IOException("rename " + temp + " → " + target + " failed");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot commit metagradients " + target, e);
            }
        }

        /** Drops the unfinished file (after a failure). */
        public void abort() {
            try {
                writer.close();
                fs.delete(temp, false);
            } catch (IOException e) {
                // the temporary name is hidden and never read
            }
        }
    }

    /**
     * Columns {@code output, row, g}: each item's metagradient, summed over the steps it was trained at
     * (last step first, from +0.0) within each replica, then over replicas in order, divided by
     * {@code replicas}. Items no task reported are absent (their metagradient is 0 where they were
     * trained on, and undefined where not: the caller knows which).
     */
    public static Dataset<Row> perItem(SparkSession spark, String dir, int replicas) {
        // One pass: the contributions of an item sorted by (replica, step last first), folded with a state of
        // (sum over finished replicas, sum of the current replica, current replica).
        String fold = "aggregate(array_sort(collect_list(named_struct('r', replica, 'k', -step, 'g', g))),"
                + " named_struct('total', 0D, 'current', 0D, 'r', -1),"
                + " (s, x) -> IF(x.r = s.r, named_struct('total', s.total, 'current', s.current + x.g, 'r', s.r),"
                + " named_struct('total', IF(s.r < 0, s.total, s.total + s.current), 'current', 0D + x.g, 'r', x.r)),"
                + " s -> IF(s.r < 0, s.total, s.total + s.current))";
        return spark.read().parquet(dir).groupBy(col("output"), col("row")).agg(expr(fold).divide(replicas).as("g"));
    }
}
