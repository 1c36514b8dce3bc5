package io.metagrad.spark.attribute;

import io.metagrad.core.attribution.GradientBaselines;
import io.metagrad.core.attribution.LinearDatamodelingScore;
import io.metagrad.core.meta.Metaparameter;
import io.metagrad.core.mgd.MetagradientProblem;
import io.metagrad.core.mgd.Metagradients;
import io.metagrad.core.output.OutputFunction;
import io.metagrad.spark.JobMain;
import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.io.AtomicFiles;
import io.metagrad.spark.io.AtomicOutput;
import io.metagrad.spark.io.OutputGuard;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.io.Json;
import io.metagrad.spark.report.Plots;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LDS validation on Spark: exact influence per target (tasks over blocks of targets), the two
 * final-model baselines (gradient dot product, gradient cosine), and {@code M} retrainings with a
 * random {@code α} of the pool removed (weight 0, data order unchanged), one task per removal set.
 * Reports each method's LDS with a bootstrap interval as JSON, Markdown and a PNG.
 *
 * <p>{@code spark-submit --class io.metagrad.spark.attribute.ValidateJob spark-jobs-*.jar --train … --targets … --output …}
 */
public final class ValidateJob {

    private static final Logger LOG = LoggerFactory.getLogger(ValidateJob.class);

    /** One method's score. */
    public record MethodScore(String method, double lds, double low, double high, double[] perTarget) {}

    /** What the job measured. */
    public record Result(String output, List<MethodScore> scores, double[] targetLosses, double seconds) {}

    /** Schema of the output directory's own {@code _metagrad.json}. */
    public static final String OUTPUT_SCHEMA = "validate_output/v1";

    private ValidateJob() {}

    public static Result run(SparkSession spark, ValidateParams params) {
        long start = System.nanoTime();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        AttributionSetup setup = params.setup();
        OutputGuard.requireApart("validate", Map.of("--output", setup.output()),
                Map.of("--train", setup.train(), "--targets", setup.targets()), hadoop);
        AtomicOutput out = AtomicOutput.to(setup.output(), hadoop, setup.overwrite());
        AttributionInputs inputs = AttributionInputs.read(spark, setup.train(), setup.targets(), setup.training(),
                setup.knobs(), setup.classes(), setup.maxTargets());
        try {
            int q = inputs.targets().size();
            int n = inputs.train().size();
            List<InfluenceChunk> chunks = AttributeJob.influence(spark, inputs, setup.targetsPerTask(), setup.replayK())
                    .collect().stream().sorted(Comparator.comparingInt(InfluenceChunk::firstTarget)).toList();
            double[] values = new double[q];
            double[][] exact = new double[q][];
            for (InfluenceChunk c : chunks) {
                for (int t = 0; t < c.values().length; t++) {
                    values[c.firstTarget() + t] = c.values()[t];
                    exact[c.firstTarget() + t] = c.scores()[t];
                }
            }
            LOG.info("validate: exact influence done; final-model baselines next");
            GradientBaselines.Scores baselines = GradientBaselines.compute(
                    inputs.config(), inputs.trainData(), inputs.targetData());
            int[][] sets = LinearDatamodelingScore.removalSets(n, params.subsets(), params.removeFraction(), params.seed());
            double[][] actual = retrain(spark, inputs, sets);
            Map<String, double[][]> methods = new LinkedHashMap<>();
            methods.put("exact influence (metagradient)", exact);
            methods.put("gradient dot product (final model)", baselines.dotProduct());
            methods.put("gradient cosine (final model)", baselines.cosine());
            List<MethodScore> scores = methods.entrySet().stream().map(e -> {
                LinearDatamodelingScore.Result r = LinearDatamodelingScore.score(
                        LinearDatamodelingScore.predictions(values, e.getValue(), sets), actual, params.bootstrap(), params.seed());
                return new MethodScore(e.getKey(), r.mean(), r.low(), r.high(), r.perTarget());
            }).toList();
            double seconds = (System.nanoTime() - start) / 1e9;
            Result result = new Result(out.destination().toString(), scores, values, seconds);
            write(out.stagingPath(), hadoop, params, result, LinearDatamodelingScore.predictions(values, exact, sets)[0], actual[0]);
            out.commit();
            return result;
        } catch (Exception e) { // also SparkException, a checked exception Scala throws unchecked
            out.abort();
            throw e;
        }
    }

    /** {@code [targets][subsets]}: each removal set retrained in its own task. */
    private static double[][] retrain(SparkSession spark, AttributionInputs inputs, int[][] sets) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<AttributionInputs> shared = jsc.broadcast(inputs);
        List<Integer> ids = IntStream.range(0, sets.length).boxed().toList();
        spark.sparkContext().setJobDescription("validate: retrain " + sets.length + " removal sets");
        List<double[]> outputs = jsc.parallelize(ids, Math.min(sets.length, Math.max(1, jsc.defaultParallelism() * 4)))
                .map(s -> {
                    AttributionInputs in = shared.value();
                    int n = in.train().size();
                    return Metagradients.evaluate(new MetagradientProblem(in.config(), in.trainData(),
                            new Metaparameter.DataWeights(LinearDatamodelingScore.weightsWithout(n, sets[s])),
                            OutputFunction.perExampleLosses(in.targetData())));
                }).collect();
        int q = inputs.targets().size();
        double[][] actual = new double[q][sets.length];
        for (int s = 0; s < sets.length; s++) {
            for (int t = 0; t < q; t++) {
                actual[t][s] = outputs.get(s)[t];
            }
        }
        return actual;
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
                .put("files", List.of("lds.json", "lds.md", "lds.png", "target0-scatter.png")).writeTo(dir, hadoop);
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
