package io.metagrad.spark.attribute;

import io.metagrad.core.attribution.LinearDatamodelingScore;
import io.metagrad.core.attribution.RemovalSets;
import io.metagrad.core.mgd.Metagradients;
import io.metagrad.spark.JobMain;
import io.metagrad.spark.Progress;
import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.io.AtomicFiles;
import io.metagrad.spark.io.AtomicOutput;
import io.metagrad.spark.io.OutputGuard;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.io.Json;
import io.metagrad.spark.report.Plots;
import io.metagrad.spark.report.RunReport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
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
 * LDS validation on Spark, at any pool size: exact influence per target (tasks over blocks of
 * targets streaming the pool's layout, as {@link AttributeJob}), the two final-model baselines
 * (gradient dot product, gradient cosine; scored inside Spark partitions with the small final model
 * broadcast), and {@code M} retrainings with a random {@code α} of the pool removed (weight 0, data
 * order unchanged), one task per removal set, streamed from the layout. The removal sets are never
 * listed: membership is a keyed function of (seed, set, row) ({@link RemovalSets}), and Spark sums
 * each method's scores over each set. Reports each method's LDS with a bootstrap interval as JSON,
 * Markdown and a PNG. The driver holds the targets and a few numbers per (target, set).
 *
 * <p>{@code spark-submit --class io.metagrad.spark.attribute.ValidateJob spark-jobs-*.jar --train … --targets … --output …}
 */
public final class ValidateJob {

    private static final Logger LOG = LoggerFactory.getLogger(ValidateJob.class);

    private static final String EXACT = "exact influence (metagradient)";

    /** The methods scored, by their column in the scores table. */
    private static final Map<String, String> METHODS = methods();

    private static Map<String, String> methods() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(EXACT, "score");
        m.put("gradient dot product (final model)", "dot");
        m.put("gradient cosine (final model)", "cosine");
        return m;
    }

    /** One method's score. */
    public record MethodScore(String method, double lds, double low, double high, double[] perTarget) {}

    /**
     * What the job measured.
     *
     * @param predicted per method, the predicted target outputs {@code [targets][sets]}
     * @param actual the retrained target outputs {@code [targets][sets]}
     */
    public record Result(String output, List<MethodScore> scores, double[] targetLosses, double seconds,
            Map<String, double[][]> predicted, double[][] actual) {}

    /** Schema of the output directory's own {@code _metagrad.json}. */
    public static final String OUTPUT_SCHEMA = "validate_output/v1";

    private ValidateJob() {}

    public static Result run(SparkSession spark, ValidateParams params) {
        long start = System.nanoTime();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        AttributionSetup setup = params.setup();
        OutputGuard.requireApart("validate", Map.of("--output", setup.output()),
                Map.of("--train", setup.train(), "--targets", setup.targets()), hadoop);
        try (Progress progress = Progress.start(spark, "validate"); AttributionPool inputs = AttributionPool.read(spark, setup)) {
            AtomicOutput out = AtomicOutput.to(setup.output(), hadoop, setup.overwrite());
            try {
                String stage = out.stagingPath();
                int q = inputs.targets().size();
                long n = inputs.pool().size();
                progress.step("laying out " + n + " training examples in the training order");
                TaskInputs tasks = inputs.layOut(spark, stage);
                progress.step("exact influence of " + q + " targets, " + setup.targetsPerTask() + " per task");
                String gradients = new Path(AttributionPool.workDir(stage), "influence").toString();
                double[] values = AttributeJob.influence(spark, tasks, setup.targetsPerTask(), setup.replayK(), gradients).stream()
                        .flatMapToDouble(c -> Arrays.stream(c.values())).toArray();
                progress.step("final-model baselines");
                List<double[]> trained = finalModel(spark, tasks);
                RemovalSets sets = new RemovalSets(n, params.subsets(), params.removeFraction(), params.seed());
                progress.step("predictions over " + sets.subsets() + " removal sets of " + sets.size() + " examples");
                Map<String, double[][]> predicted = predict(spark, inputs, tasks, trained, gradients, sets, values);
                progress.step("retraining without each of the " + sets.subsets() + " removal sets");
                double[][] actual = retrain(spark, tasks, sets);
                List<MethodScore> lds = new ArrayList<>();
                for (Map.Entry<String, double[][]> e : predicted.entrySet()) {
                    LinearDatamodelingScore.Result r = LinearDatamodelingScore.score(e.getValue(), actual, params.bootstrap(),
                            params.seed());
                    lds.add(new MethodScore(e.getKey(), r.mean(), r.low(), r.high(), r.perTarget()));
                }
                AttributionPool.deleteWork(stage, hadoop);
                double seconds = (System.nanoTime() - start) / 1e9;
                Result result = new Result(out.destination().toString(), lds, values, seconds, predicted, actual);
                write(stage, hadoop, params, result, predicted.get(EXACT)[0], actual[0]);
                out.commit();
                LOG.info("validate: {} targets × {} training examples, {} removal sets → {}", q, n, sets.subsets(), setup.output());
                return result;
            } catch (Exception e) { // also SparkException, a checked exception Scala throws unchecked
                out.abort();
                throw e;
            }
        }
    }

    /**
     * Every method's predictions {@code [targets][sets]}, by method: Spark joins the exact-influence
     * scores with the baselines' (scored in partitions at the {@code trained} final model) and sums
     * them over each removal set.
     */
    private static Map<String, double[][]> predict(SparkSession spark, AttributionPool inputs, TaskInputs tasks,
            List<double[]> trained, String gradients, RemovalSets sets, double[] values) {
        Dataset<Row> scores = InfluenceScores.of(spark, inputs.pool(), inputs.targets(), gradients)
                .join(BaselineScores.of(spark, inputs.pool(), tasks, trained), InfluenceScores.usingColumns("output", "row"))
                .persist(StorageLevel.DISK_ONLY());
        try {
            InfluenceScores.requireFinite(scores, "score");
            double[][][] predictions = RemovalPredictions.of(spark, scores, List.copyOf(METHODS.values()), sets, values);
            Map<String, double[][]> predicted = new LinkedHashMap<>();
            int m = 0;
            for (String method : METHODS.keySet()) {
                predicted.put(method, predictions[m++]);
            }
            return predicted;
        } finally {
            scores.unpersist();
        }
    }

    /** The parameters of the model trained on the whole pool (weights 1), trained in one task streaming the layout. */
    private static List<double[]> finalModel(SparkSession spark, TaskInputs tasks) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<SerializableConfiguration> hadoop = jsc.broadcast(new SerializableConfiguration(jsc.hadoopConfiguration()));
        try {
            jsc.setJobDescription("validate: train the final model");
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

    /** {@code [targets][subsets]}: each removal set retrained in its own task. */
    private static double[][] retrain(SparkSession spark, TaskInputs tasks, RemovalSets sets) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<TaskInputs> shared = jsc.broadcast(tasks);
        Broadcast<SerializableConfiguration> hadoop = jsc.broadcast(new SerializableConfiguration(jsc.hadoopConfiguration()));
        try {
            int m = sets.subsets();
            List<Integer> ids = IntStream.range(0, m).boxed().toList();
            jsc.setJobDescription("validate: retrain " + m + " removal sets");
            List<Retraining> runs = jsc.parallelize(ids, Math.min(m, Math.max(1, jsc.defaultParallelism() * 4)))
                    .map(s -> Retraining.run(shared.value(), hadoop.value().value(), sets, s)).collect();
            jsc.setJobDescription(null);
            double[][] actual = new double[tasks.targets().size()][m];
            for (Retraining r : runs) {
                for (int t = 0; t < actual.length; t++) {
                    actual[t][r.subset()] = r.losses()[t];
                }
            }
            return actual;
        } finally {
            shared.destroy();
            hadoop.destroy();
        }
    }

    private static void write(String dir, Configuration hadoop, ValidateParams params, Result r,
            double[] predictedFirst, double[] actualFirst) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("params", params.describe());
        json.put("targets", r.targetLosses().length);
        json.put("seconds", r.seconds());
        json.put("target_losses", r.targetLosses());
        json.put("methods", r.scores());
        writeText(dir, "lds.json", Json.pretty(json) + "\n", hadoop);
        writeText(dir, "lds.md", markdown(params, r), hadoop);
        Map<String, double[]> bars = new LinkedHashMap<>();
        for (MethodScore s : r.scores()) {
            bars.put(s.method(), new double[] {s.lds(), s.low(), s.high()});
        }
        writeBytes(dir, "lds.png", Plots.barsWithIntervals("Linear datamodeling score (Spearman, 95% bootstrap)", bars), hadoop);
        writeBytes(dir, "target0-scatter.png", Plots.scatter("Target 0: predicted vs retrained loss",
                "predicted (exact influence)", "retrained", predictedFirst, actualFirst), hadoop);
        TableManifest.of("validate", OUTPUT_SCHEMA).params(params.describe())
                .inputs(List.of(params.setup().train(), params.setup().targets()))
                .put("files", List.of("lds.json", "lds.md", "lds.png", "target0-scatter.png", "report.html")).writeTo(dir, hadoop);
        RunReport.writeInto(dir, params.setup().output(), hadoop);
    }

    /** The Markdown table printed by the command and written to {@code lds.md}. */
    public static String markdown(ValidateParams params, Result r) {
        StringBuilder b = new StringBuilder();
        b.append("| method | LDS | 95% interval |\n|---|---|---|\n");
        for (MethodScore s : r.scores()) {
            b.append(String.format("| %s | %.3f | [%.3f, %.3f] |%n", s.method(), s.lds(), s.low(), s.high()));
        }
        b.append(String.format("%n%d targets, %d removal sets of %.1f%% each; %.0f s.%n", r.targetLosses().length,
                params.subsets(), 100 * params.removeFraction(), r.seconds()));
        return b.toString();
    }

    /** What {@code mgd validate} prints: the {@link #markdown} table and the output files. */
    public static String summary(ValidateParams params, Result r) {
        return markdown(params, r) + "outputs: " + r.output() + "/{lds.json,lds.md,lds.png,target0-scatter.png}"
                + System.lineSeparator();
    }

    static void writeText(String dir, String name, String text, Configuration hadoop) {
        writeBytes(dir, name, text.getBytes(StandardCharsets.UTF_8), hadoop);
    }

    static void writeBytes(String dir, String name, byte[] bytes, Configuration hadoop) {
        AtomicFiles.write(new Path(dir, name).toString(), bytes, hadoop);
    }

    /** {@code spark-submit} entry point; takes the same arguments as {@code mgd validate} and prints the same. */
    public static void main(String[] args) {
        JobMain.run("validate", args, new ValidateOptions(), o -> {
            ValidateParams params = o.toParams(); // before Spark starts, so bad values fail fast
            System.out.print(summary(params, run(SparkSessions.getOrCreate("metagrad-validate"), params)));
        });
    }
}
