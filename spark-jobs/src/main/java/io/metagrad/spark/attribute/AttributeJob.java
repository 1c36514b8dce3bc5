package io.metagrad.spark.attribute;

import static org.apache.spark.sql.functions.col;

import io.metagrad.spark.JobMain;
import io.metagrad.spark.Progress;
import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.io.AtomicOutput;
import io.metagrad.spark.io.OutputGuard;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.schema.Table;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.SerializableConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exact-influence attribution on Spark, at any pool size. The pool is checked and numbered by Spark
 * and laid out in the training order; the targets are cut into blocks, each block one task that
 * streams its batches from the layout and computes one metagradient per target (the block shares one
 * forward run), writing every step's contributions as Parquet. Spark sums them per (target, item),
 * joins the uids and writes the scores as a table {@code (target_uid, train_uid, score)} plus the
 * top-k helpful and harmful training examples of every target (by a window). The driver holds the
 * targets and a few numbers per target; the output directory is committed atomically.
 *
 * <p>{@code spark-submit --class io.metagrad.spark.attribute.AttributeJob spark-jobs-*.jar --train … --targets … --output …}
 */
public final class AttributeJob {

    private static final Logger LOG = LoggerFactory.getLogger(AttributeJob.class);

    /** What the job wrote. */
    public record Result(String output, int targets, int trainRows, long scoreRows, double[] targetLosses) {
        public String scoresPath() {
            return new Path(output, "scores").toString();
        }

        public String topPath() {
            return new Path(output, "top").toString();
        }
    }

    private AttributeJob() {}

    public static Result run(SparkSession spark, AttributeParams params) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        AttributionSetup setup = params.setup();
        OutputGuard.requireApart("attribute", Map.of("--output", setup.output()),
                Map.of("--train", setup.train(), "--targets", setup.targets()), hadoop);
        try (Progress progress = Progress.start(spark, "attribute"); AttributionPool inputs = AttributionPool.read(spark, setup)) {
            AtomicOutput out = AtomicOutput.to(setup.output(), hadoop, setup.overwrite());
            try {
                String stage = out.stagingPath();
                int q = inputs.targets().size();
                long n = inputs.pool().size();
                progress.step("laying out " + n + " training examples in the training order");
                TaskInputs tasks = inputs.layOut(spark, stage);
                progress.step("exact influence of " + q + " targets, " + setup.targetsPerTask() + " per task");
                String gradients = new Path(AttributionPool.workDir(stage), "influence").toString();
                List<InfluenceChunk> chunks = influence(spark, tasks, setup.targetsPerTask(), setup.replayK(), gradients);
                double[] losses = chunks.stream().flatMapToDouble(c -> Arrays.stream(c.values())).toArray();
                progress.step("writing the scores and the top-" + params.top() + " lists");
                Dataset<Row> scores = InfluenceScores.of(spark, inputs.pool(), inputs.targets(), gradients)
                        .persist(StorageLevel.DISK_ONLY());
                try {
                    InfluenceScores.requireFinite(scores, "score");
                    scores.select(col("target_uid"), col("train_uid"), col("score")).write()
                            .parquet(new Path(stage, "scores").toString());
                    InfluenceScores.top(scores, (int) Math.min(params.top(), n)).write().parquet(new Path(stage, "top").toString());
                } finally {
                    scores.unpersist();
                }
                AttributionPool.deleteWork(stage, hadoop);
                long rows = q * n;
                TableManifest.of("attribute", Table.ATTRIBUTION).params(params.describe())
                        .inputs(List.of(setup.train(), setup.targets())).rowCount(rows)
                        .put("target_losses", losses)
                        .put("task_seconds", chunks.stream().mapToDouble(InfluenceChunk::seconds).toArray())
                        .put("layout_bytes", tasks.layout().bytes())
                        .put("layout_bytes_read", chunks.stream().mapToLong(InfluenceChunk::bytesRead).sum())
                        .writeTo(stage, hadoop);
                io.metagrad.spark.report.RunReport.writeInto(stage, setup.output(), hadoop);
                out.commit();
                LOG.info("attribute: {} targets × {} training examples → {}", q, n, setup.output());
                return new Result(out.destination().toString(), q, (int) n, rows, losses);
            } catch (Exception e) { // also SparkException, a checked exception Scala throws unchecked
                out.abort();
                throw e;
            }
        }
    }

    /**
     * One task per block of {@code perTask} targets, streaming the layout and writing contributions
     * under {@code gradientsDir}; the blocks' results in target order. Only {@code tasks} (the spec,
     * the targets, the layout's index) is broadcast.
     */
    static List<InfluenceChunk> influence(SparkSession spark, TaskInputs tasks, int perTask, int replayK, String gradientsDir) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<TaskInputs> shared = jsc.broadcast(tasks);
        Broadcast<SerializableConfiguration> hadoop = jsc.broadcast(new SerializableConfiguration(jsc.hadoopConfiguration()));
        try {
            int q = tasks.targets().size();
            List<Integer> starts = IntStream.iterate(0, s -> s < q, s -> s + perTask).boxed().toList();
            jsc.setJobDescription("exact influence of " + q + " targets in " + starts.size() + " tasks");
            List<InfluenceChunk> chunks = new ArrayList<>(jsc.parallelize(starts, starts.size())
                    .map(s -> InfluenceChunk.compute(shared.value(), hadoop.value().value(), s / perTask, s, Math.min(q, s + perTask),
                            replayK, gradientsDir))
                    .collect());
            jsc.setJobDescription(null);
            chunks.sort(Comparator.comparingInt(InfluenceChunk::firstTarget));
            return chunks;
        } finally {
            shared.destroy();
            hadoop.destroy();
        }
    }

    /** What {@code mgd attribute} prints: the sizes and where the scores and the top-{@code top} lists are. */
    public static String summary(Result r, int top) {
        return String.format("attribute: %d targets × %d training examples%n  scores: %s%n  top-%d: %s%n", r.targets(),
                r.trainRows(), r.scoresPath(), top, r.topPath());
    }

    /** {@code spark-submit} entry point; takes the same arguments as {@code mgd attribute} and prints the same. */
    public static void main(String[] args) {
        JobMain.run("attribute", args, new AttributeOptions(), o -> {
            AttributeParams params = o.toParams(); // before Spark starts, so bad values fail fast
            System.out.print(summary(run(SparkSessions.getOrCreate("metagrad-attribute"), params), o.top()));
        });
    }
}
