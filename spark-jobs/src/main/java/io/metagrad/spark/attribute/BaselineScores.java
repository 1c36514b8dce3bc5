package io.metagrad.spark.attribute;

import static org.apache.spark.sql.functions.col;

import io.metagrad.core.attribution.GradientBaselines;
import io.metagrad.core.attribution.PerExampleGradients;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.spark.stream.IndexedPool;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.TaskCompletionListener;

/**
 * The final-model baselines of {@code validate} (gradient dot product and gradient cosine,
 * {@link GradientBaselines}) for every (target, pool item) pair, computed inside Spark partitions:
 * each partition gets the small final model and the targets by broadcast, and scores its pool rows
 * a chunk at a time ({@link PerExampleGradients#chunkOf}: one item for a classifier, runs of
 * consecutive items for the CLIP head, which then are brought together into one partition first).
 * Bitwise the scores of {@link GradientBaselines#compute} on the whole pool in memory.
 */
final class BaselineScores {

    /** Columns of {@link #of}. */
    static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("output", DataTypes.IntegerType, false),
        DataTypes.createStructField("row", DataTypes.IntegerType, false),
        DataTypes.createStructField("dot", DataTypes.DoubleType, false),
        DataTypes.createStructField("cosine", DataTypes.DoubleType, false),
    });

    /** Items a classifier's partition scores between two looks at its iterator (each item is scored alone anyway). */
    private static final int GROUP = 256;

    private BaselineScores() {}

    /**
     * Columns {@code output, row, dot, cosine}: both baselines' scores of pool item {@code row} for
     * target {@code output}, at the parameters {@code trained} of the model trained on the whole pool.
     */
    static Dataset<Row> of(SparkSession spark, IndexedPool pool, TaskInputs tasks, List<double[]> trained) {
        TrainConfig config = tasks.config();
        int size = PerExampleGradients.chunkSize(config.model().build(), config.batchSize());
        long n = pool.size();
        Dataset<Row> rows = pool.rows();
        if (size > 1) {
            var chunkOf = functions.udf((UDF1<Integer, Long>) row -> PerExampleGradients.chunkOf(row, n, size),
                    DataTypes.LongType);
            rows = rows.withColumn("chunk", chunkOf.apply(col("row"))).repartitionByRange(col("chunk"))
                    .sortWithinPartitions(col("row"));
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<TaskInputs> shared = jsc.broadcast(tasks);
        Broadcast<List<double[]>> model = jsc.broadcast(new ArrayList<>(trained));
        return spark.createDataFrame(rows.javaRDD().mapPartitions(new ScorePartition(shared, model, n, size)), SCHEMA);
    }

    /** Scores one partition's rows (sorted by row, whole chunks) lazily, a chunk at a time. */
    private static final class ScorePartition implements FlatMapFunction<Iterator<Row>, Row> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<TaskInputs> shared;
        private final Broadcast<List<double[]>> trained;
        private final long n;
        private final int size;

        ScorePartition(Broadcast<TaskInputs> shared, Broadcast<List<double[]>> trained, long n, int size) {
            this.shared = shared;
            this.trained = trained;
            this.n = n;
            this.size = size;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            if (!rows.hasNext()) {
                return Collections.emptyIterator();
            }
            TaskInputs in = shared.value();
            GradientBaselines.Scorer scorer = new GradientBaselines.Scorer(in.config(), trained.value(), in.targetData());
            Closer closer = new Closer(scorer);
            TaskContext context = TaskContext.get();
            if (context != null) {
                context.addTaskCompletionListener((TaskCompletionListener) c -> closer.close());
            }
            return new Iterator<>() {
                private final ArrayDeque<Row> ready = new ArrayDeque<>();
                private Row pending = rows.next();

                @Override
                public boolean hasNext() {
                    while (ready.isEmpty() && pending != null) {
                        scoreNextChunk();
                    }
                    if (ready.isEmpty()) {
                        closer.close();
                    }
                    return !ready.isEmpty();
                }

                @Override
                public Row next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    return ready.poll();
                }

                /** Takes the rows of the next chunk (for a classifier, up to {@link #GROUP} rows) and scores them. */
                private void scoreNextChunk() {
                    List<Row> chunk = new ArrayList<>();
                    Row first = pending;
                    do {
                        chunk.add(pending);
                        pending = rows.hasNext() ? rows.next() : null;
                    } while (pending != null && together(first, pending, chunk.size()));
                    int[] poolRows = chunk.stream().mapToInt(r -> r.getInt(0)).toArray();
                    scorer.score(data(chunk, in), (i, dot, cosine) -> {
                        for (int q = 0; q < dot.length; q++) {
                            ready.add(RowFactory.create(q, poolRows[i], dot[q], cosine[q]));
                        }
                    });
                }

                /** Whether {@code next} is scored with the chunk that starts at {@code first} and holds {@code taken} rows. */
                private boolean together(Row first, Row next, int taken) {
                    return size > 1 ? PerExampleGradients.chunkOf(next.getInt(0), n, size)
                            == PerExampleGradients.chunkOf(first.getInt(0), n, size) : taken < GROUP;
                }
            };
        }
    }

    /** Pool rows ({@link IndexedPool#SCHEMA}) as training data of the run's objective, in the given order. */
    static TrainingData data(List<Row> rows, TaskInputs in) {
        return data(rows, in.spec(), in.labels());
    }

    /** Pool rows ({@link IndexedPool#SCHEMA}) as training data of {@code spec}: one-hot {@code labels}, or the target vectors. */
    static TrainingData data(List<Row> rows, io.metagrad.spark.train.RunSpec spec, boolean labels) {
        int d = spec.inputDim();
        int c = spec.outputDim();
        double[] x = new double[rows.size() * d];
        double[] y = new double[rows.size() * c];
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            List<Float> features = r.getList(2);
            for (int j = 0; j < d; j++) {
                x[i * d + j] = features.get(j);
            }
            if (labels) {
                y[i * c + r.getInt(3)] = 1;
            } else {
                List<Float> target = r.getList(4);
                for (int j = 0; j < c; j++) {
                    y[i * c + j] = target.get(j);
                }
            }
        }
        return new TrainingData(rows.size(), d, x, c, y);
    }

    /** Closes the scorer once, whichever comes first: the partition's end or the task's. */
    private static final class Closer {
        private final GradientBaselines.Scorer scorer;
        private boolean closed;

        Closer(GradientBaselines.Scorer scorer) {
            this.scorer = scorer;
        }

        synchronized void close() {
            if (!closed) {
                closed = true;
                scorer.close();
            }
        }
    }
}
