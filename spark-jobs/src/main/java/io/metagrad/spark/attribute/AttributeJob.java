package io.metagrad.spark.attribute;

import io.metagrad.core.attribution.Attribution;
import io.metagrad.spark.JobMain;
import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.io.AtomicOutput;
import io.metagrad.spark.io.OutputGuard;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.schema.Table;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exact-influence attribution on Spark: the targets are cut into blocks, each block one task that
 * computes one metagradient per target with metagrad-core (the block shares one forward run), and
 * the scores are written as a table {@code (target_uid, train_uid, score)} plus the top-k helpful
 * and harmful training examples of every target. The output directory is committed atomically.
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
        AtomicOutput out = AtomicOutput.to(setup.output(), hadoop, setup.overwrite());
        AttributionInputs inputs = AttributionInputs.read(spark, setup.train(), setup.targets(), setup.training(),
                setup.knobs(), setup.classes(), setup.maxTargets());
        try {
            JavaRDD<InfluenceChunk> chunks = influence(spark, inputs, setup.targetsPerTask(), setup.replayK())
                    .persist(StorageLevel.MEMORY_AND_DISK());
            String[] trainUids = inputs.train().uids();
            String[] targetUids = inputs.targets().uids();
            int top = Math.min(params.top(), trainUids.length);
            JavaRDD<Row> scores = chunks.flatMap(c -> scoreRows(c, targetUids, trainUids).iterator());
            JavaRDD<Row> tops = chunks.flatMap(c -> topRows(c, targetUids, trainUids, top).iterator());
            String stage = out.stagingPath();
            spark.createDataFrame(scores, Table.ATTRIBUTION.schema()).write().parquet(new Path(stage, "scores").toString());
            spark.createDataFrame(tops, Table.ATTRIBUTION_TOP.schema()).write().parquet(new Path(stage, "top").toString());
            List<InfluenceChunk> collected = new ArrayList<>(chunks.collect());
            collected.sort(Comparator.comparingInt(InfluenceChunk::firstTarget));
            chunks.unpersist();
            double[] losses = collected.stream().flatMapToDouble(c -> java.util.Arrays.stream(c.values())).toArray();
            long rows = (long) targetUids.length * trainUids.length;
            TableManifest.of("attribute", Table.ATTRIBUTION).params(params.describe())
                    .inputs(List.of(setup.train(), setup.targets())).rowCount(rows)
                    .put("target_losses", losses)
                    .put("task_seconds", collected.stream().mapToDouble(InfluenceChunk::seconds).toArray())
                    .writeTo(stage, hadoop);
            out.commit();
            LOG.info("attribute: {} targets × {} training examples → {}", targetUids.length, trainUids.length, setup.output());
            return new Result(out.destination().toString(), targetUids.length, trainUids.length, rows, losses);
        } catch (Exception e) { // also SparkException, a checked exception Scala throws unchecked
            out.abort();
            throw e;
        }
    }

    /** One task per block of targets; every task gets the inputs through one broadcast. */
    static JavaRDD<InfluenceChunk> influence(SparkSession spark, AttributionInputs inputs, int perTask, int replayK) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<AttributionInputs> shared = jsc.broadcast(inputs);
        int q = inputs.targets().size();
        List<Integer> starts = IntStream.iterate(0, s -> s < q, s -> s + perTask).boxed().toList();
        spark.sparkContext().setJobDescription("attribute: exact influence of " + q + " targets in " + starts.size() + " tasks");
        return jsc.parallelize(starts, starts.size())
                .map(s -> InfluenceChunk.compute(shared.value(), s, Math.min(q, s + perTask), replayK));
    }

    private static List<Row> scoreRows(InfluenceChunk c, String[] targetUids, String[] trainUids) {
        List<Row> rows = new ArrayList<>(c.scores().length * trainUids.length);
        for (int t = 0; t < c.scores().length; t++) {
            String target = targetUids[c.firstTarget() + t];
            for (int i = 0; i < trainUids.length; i++) {
                rows.add(RowFactory.create(target, trainUids[i], c.scores()[t][i]));
            }
        }
        return rows;
    }

    private static List<Row> topRows(InfluenceChunk c, String[] targetUids, String[] trainUids, int top) {
        List<Row> rows = new ArrayList<>();
        for (int t = 0; t < c.scores().length; t++) {
            String target = targetUids[c.firstTarget() + t];
            double[] s = c.scores()[t];
            int[] helpful = Attribution.topHelpful(s, top);
            int[] harmful = Attribution.topHarmful(s, top);
            for (int r = 0; r < top; r++) {
                rows.add(RowFactory.create(target, "helpful", r + 1, trainUids[helpful[r]], s[helpful[r]]));
                rows.add(RowFactory.create(target, "harmful", r + 1, trainUids[harmful[r]], s[harmful[r]]));
            }
        }
        return rows;
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
