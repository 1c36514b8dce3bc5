package io.metagrad.spark.attribute;

import static org.apache.spark.sql.functions.col;

import io.metagrad.core.attribution.PerExampleGradients;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.mgd.Metagradients;
import io.metagrad.core.selection.Scorers;
import io.metagrad.spark.select.Method;
import io.metagrad.spark.stream.IndexedPool;
import io.metagrad.spark.stream.LayoutBatches;
import io.metagrad.spark.train.FeatureRows;
import io.metagrad.spark.train.RunSpec;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
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
import org.apache.spark.util.SerializableConfiguration;
import org.apache.spark.util.TaskCompletionListener;

/**
 * The scores (higher = keep) of {@code select}'s scoring baselines for every pool item, at any pool
 * size: the pool is read, checked and numbered by Spark ({@link AttributionPool}), any model a
 * method needs is trained by one Spark task (the reference model on the targets; the model on the
 * whole pool, or its warm-up checkpoints, streaming the pool laid out in the training order), and
 * the items are scored inside partitions against that small model, broadcast. Nothing of pool size
 * reaches the driver. Bitwise the scores of {@link Scorers} on the whole pool in memory.
 */
public final class SelectionScores implements AutoCloseable {

    /** Columns of {@link #of}. */
    public static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("row", DataTypes.IntegerType, false),
        DataTypes.createStructField("score", DataTypes.DoubleType, false),
    });

    /** Warm-up of {@code grad-sim}: the fraction of the run and the checkpoints, as in {@code BaselineSelection}. */
    private static final double GRAD_SIM_WARMUP = 0.25;
    private static final int GRAD_SIM_CHECKPOINTS = 4;
    private static final boolean GRAD_SIM_ADAM_AWARE = true;

    /** Classifier items a partition scores together (each is scored alone anyway). */
    private static final int GROUP = 256;

    private final AttributionPool pool;

    private SelectionScores(AttributionPool pool) {
        this.pool = pool;
    }

    /**
     * Reads and checks the pool ({@code setup.train()}) and the targets of a scoring run; fails naming
     * the table, uid and field at fault, before any work.
     */
    public static SelectionScores read(SparkSession spark, AttributionSetup setup) {
        return new SelectionScores(AttributionPool.read(spark, setup));
    }

    /** The checked, numbered pool (row {@code i} is the {@code i}-th uid). */
    public IndexedPool pool() {
        return pool.pool();
    }

    /** The targets, uid order. */
    public FeatureRows targets() {
        return pool.targets();
    }

    /** Whether the run trains on class labels (else on the pool's target vectors: the CLIP head). */
    public boolean labels() {
        return !pool.spec().options().pairsFeaturesWithTargets();
    }

    /**
     * Columns {@code row, score}: {@code method}'s score of every pool row. Methods that train on the
     * pool lay it out under the scratch directory of {@code staging} ({@link #deleteWork} removes it).
     */
    public Dataset<Row> of(SparkSession spark, Method method, long seed, String staging) {
        RunSpec spec = pool.spec();
        long n = pool.pool().size();
        TrainConfig config = spec.baseConfig(n); // not serializable: tasks rebuild it from the spec and n
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return switch (method) {
            case RANDOM -> {
                var uniform = functions.udf((UDF1<Integer, Double>) row -> Scorers.uniform(seed, row), DataTypes.DoubleType);
                yield pool.pool().rows().select(col("row"), uniform.apply(col("row")).as("score"));
            }
            case LOSS, CLIP_SCORE -> {
                List<double[]> reference = referenceModel(jsc, spec, pool.targets(), n);
                boolean loss = method == Method.LOSS;
                int chunk = Scorers.scoringChunk(config);
                yield scored(spark, spec, chunk, row -> row / chunk, new StatisticScorers(spec, n, reference, loss));
            }
            case INFLUENCE, GRAD_SIM -> {
                TaskInputs tasks = pool.layOut(spark, staging);
                ScorerFactory alignment = method == Method.INFLUENCE
                        ? new AlignmentScorers(spec, n, finalModel(jsc, tasks), null, pool.targets())
                        : gradSim(jsc, tasks, n);
                int size = PerExampleGradients.chunkSize(config.model().build(), config.batchSize());
                yield scored(spark, spec, size, row -> PerExampleGradients.chunkOf(row, n, size), alignment);
            }
            default -> throw new IllegalArgumentException(method + " is not a scoring method");
        };
    }

    /** Removes the scratch directory of a run staged at {@code staging} (before its commit). */
    public static void deleteWork(String staging, Configuration hadoop) {
        AttributionPool.deleteWork(staging, hadoop);
    }

    /** The reference model of {@code loss} and {@code clip-score}, trained on the targets by one task. */
    private static List<double[]> referenceModel(JavaSparkContext jsc, RunSpec spec, FeatureRows targets, long n) {
        jsc.setJobDescription("select: train the reference model on the targets");
        List<double[]> model = jsc.parallelize(List.of(0), 1)
                .map(i -> (List<double[]>) new ArrayList<>(Scorers.referenceModel(spec.baseConfig(n), spec.data(targets)))).collect().get(0);
        jsc.setJobDescription(null);
        return model;
    }

    /** The model trained on the whole pool (weights 1), in one task streaming the layout. */
    private static List<double[]> finalModel(JavaSparkContext jsc, TaskInputs tasks) {
        Broadcast<SerializableConfiguration> hadoop = jsc.broadcast(new SerializableConfiguration(jsc.hadoopConfiguration()));
        try {
            jsc.setJobDescription("select: train on the whole pool");
            List<double[]> trained = jsc.parallelize(List.of(0), 1)
                    .map(i -> (List<double[]>) new ArrayList<>(Metagradients.train(tasks.config(),
                            tasks.batches(hadoop.value().value(), null))))
                    .collect().get(0);
            jsc.setJobDescription(null);
            return trained;
        } finally {
            hadoop.destroy();
        }
    }

    /** {@code grad-sim}'s checkpoints of a warm-up run on the pool, trained in one task streaming the layout's first steps. */
    private static ScorerFactory gradSim(JavaSparkContext jsc, TaskInputs tasks, long n) {
        Broadcast<SerializableConfiguration> hadoop = jsc.broadcast(new SerializableConfiguration(jsc.hadoopConfiguration()));
        try {
            jsc.setJobDescription("select: warm-up run on the pool (grad-sim checkpoints)");
            int labelsDim = tasks.labels() ? tasks.spec().outputDim() : 0;
            List<List<double[]>> checkpoints = jsc.parallelize(List.of(0), 1).map(i -> {
                Scorers.Warmup warmup = warmup(tasks.spec(), n);
                LayoutBatches batches = new LayoutBatches(tasks.layout(), tasks.layoutDir(), warmup.config().seed(),
                        hadoop.value().value(), warmup.config().batchSize(), warmup.config().steps(), null, labelsDim);
                List<List<double[]>> states = new ArrayList<>();
                for (List<double[]> s : Metagradients.trainWithCheckpoints(warmup.config(), batches, warmup.at())) {
                    states.add(new ArrayList<>(s));
                }
                return states;
            }).collect().get(0);
            jsc.setJobDescription(null);
            return new AlignmentScorers(tasks.spec(), n, null, checkpoints, tasks.targets());
        } finally {
            hadoop.destroy();
        }
    }

    /**
     * Scores the pool in partitions: rows brought together by {@code chunkOf} when a chunk holds more
     * than one row ({@code size > 1}: consecutive rows scored as one batch), each partition scoring its
     * rows a chunk at a time with the scorer {@code factory} opens there.
     */
    private Dataset<Row> scored(SparkSession spark, RunSpec spec, int size, ChunkKey chunkOf, ScorerFactory factory) {
        Dataset<Row> rows = pool.pool().rows();
        if (size > 1) {
            var chunk = functions.udf((UDF1<Integer, Long>) chunkOf::of, DataTypes.LongType);
            rows = rows.withColumn("chunk", chunk.apply(col("row"))).repartitionByRange(col("chunk"))
                    .sortWithinPartitions(col("row"));
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<ScorerFactory> shared = jsc.broadcast(factory);
        boolean labels = labels();
        return spark.createDataFrame(rows.javaRDD().mapPartitions(new ScorePartition(shared, spec, labels, size, chunkOf)), SCHEMA);
    }

    /** The chunk a pool row is scored in. */
    @FunctionalInterface
    private interface ChunkKey extends Serializable {
        long of(int row);
    }

    /** Opens, inside a task, what scores runs of pool rows. */
    private interface ScorerFactory extends Serializable {
        ChunkScorer open();
    }

    /** Scores of consecutive pool rows forming whole chunks; holds native memory until closed. */
    private interface ChunkScorer extends AutoCloseable {
        double[] score(TrainingData rows);

        @Override
        void close();
    }

    /** The warm-up run of {@code grad-sim} over {@code n} pool items. */
    private static Scorers.Warmup warmup(RunSpec spec, long n) {
        return Scorers.Warmup.of(spec.baseConfig(n), GRAD_SIM_WARMUP, GRAD_SIM_CHECKPOINTS);
    }

    /** {@code loss} or {@code clip-score} at the reference model. */
    private record StatisticScorers(RunSpec spec, long n, List<double[]> reference, boolean loss) implements ScorerFactory {
        @Override
        public ChunkScorer open() {
            TrainConfig config = spec.baseConfig(n);
            return new ChunkScorer() {
                @Override
                public double[] score(TrainingData rows) {
                    return loss ? Scorers.lossOf(config, reference, rows) : Scorers.referenceAgreementOf(config, reference, rows);
                }

                @Override
                public void close() {}
            };
        }
    }

    /** {@code influence} at the {@code trained} model, or (trained null) {@code grad-sim} at its warm-up {@code checkpoints}. */
    private record AlignmentScorers(RunSpec spec, long n, List<double[]> trained, List<List<double[]>> checkpoints,
            FeatureRows targets) implements ScorerFactory {
        @Override
        public ChunkScorer open() {
            TrainConfig config = spec.baseConfig(n);
            TrainingData targetData = spec.data(targets);
            Scorers.Alignment alignment = trained != null ? Scorers.Alignment.influence(config, trained, targetData)
                    : Scorers.Alignment.gradSim(config, warmup(spec, n), checkpoints, targetData, GRAD_SIM_ADAM_AWARE);
            return new ChunkScorer() {
                @Override
                public double[] score(TrainingData rows) {
                    return alignment.score(rows);
                }

                @Override
                public void close() {
                    alignment.close();
                }
            };
        }
    }

    /** Scores one partition's rows (sorted by row, whole chunks, when {@code size > 1}) lazily, a chunk at a time. */
    private static final class ScorePartition implements FlatMapFunction<Iterator<Row>, Row> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<ScorerFactory> factory;
        private final RunSpec spec;
        private final boolean labels;
        private final int size;
        private final ChunkKey chunkOf;

        ScorePartition(Broadcast<ScorerFactory> factory, RunSpec spec, boolean labels, int size, ChunkKey chunkOf) {
            this.factory = factory;
            this.spec = spec;
            this.labels = labels;
            this.size = size;
            this.chunkOf = chunkOf;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            if (!rows.hasNext()) {
                return Collections.emptyIterator();
            }
            ChunkScorer scorer = factory.value().open();
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

                private void scoreNextChunk() {
                    List<Row> chunk = new ArrayList<>();
                    long first = chunkOf.of(pending.getInt(0));
                    do {
                        chunk.add(pending);
                        pending = rows.hasNext() ? rows.next() : null;
                    } while (pending != null && (size > 1 ? chunkOf.of(pending.getInt(0)) == first : chunk.size() < GROUP));
                    double[] scores = scorer.score(BaselineScores.data(chunk, spec, labels));
                    for (int i = 0; i < scores.length; i++) {
                        ready.add(RowFactory.create(chunk.get(i).getInt(0), scores[i]));
                    }
                }
            };
        }
    }

    /** Closes the scorer once, whichever comes first: the partition's end or the task's. */
    private static final class Closer {
        private final ChunkScorer scorer;
        private boolean closed;

        Closer(ChunkScorer scorer) {
            this.scorer = scorer;
        }

        synchronized void close() {
            if (!closed) {
                closed = true;
                scorer.close();
            }
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
