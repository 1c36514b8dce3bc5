package io.metagrad.spark.attribute;

import io.metagrad.core.meta.Metaparameter;
import io.metagrad.core.mgd.MetagradientProblem;
import io.metagrad.core.output.OutputFunction;
import io.metagrad.core.smooth.Metasmoothness;
import io.metagrad.spark.JobMain;
import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.io.AtomicOutput;
import io.metagrad.spark.io.Json;
import io.metagrad.spark.io.OutputGuard;
import io.metagrad.spark.io.TableManifest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * Metasmoothness on Spark: the driver trains at {@code z = 1} once; each direction is one task that
 * trains at {@code z + hv} and {@code z + 2hv}. Directions are seeded by their index, so the result
 * equals the library call {@link Metasmoothness#estimate}.
 *
 * <p>{@code spark-submit --class io.metagrad.spark.attribute.SmoothnessJob spark-jobs-*.jar --train … [--output …]}
 */
public final class SmoothnessJob {

    /** Per-direction values, their mean, and the parameters. */
    public record Result(double[] perDirection, double mean, double seconds) {}

    /** Schema of the output directory's own {@code _metagrad.json}. */
    public static final String OUTPUT_SCHEMA = "smoothness_output/v1";

    private SmoothnessJob() {}

    public static Result run(SparkSession spark, SmoothnessParams params) {
        long start = System.nanoTime();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        OutputGuard.requireApart("smoothness", java.util.Collections.singletonMap("--output", params.output()),
                Map.of("--train", params.train()), hadoop);
        AtomicOutput out = params.output() == null ? null : AtomicOutput.to(params.output(), hadoop, params.overwrite());
        AttributionInputs inputs = AttributionInputs.read(spark, params.train(), null, params.training(), params.knobs(),
                params.classes());
        MetagradientProblem base = problem(inputs);
        double[] theta = Metasmoothness.trainedParameters(base);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<AttributionInputs> shared = jsc.broadcast(inputs);
        Broadcast<double[]> thetaShared = jsc.broadcast(theta);
        spark.sparkContext().setJobDescription("smoothness: " + params.directions() + " directions");
        List<Integer> ids = IntStream.range(0, params.directions()).boxed().toList();
        double step = params.step();
        long seed = params.seed();
        List<Double> values = jsc.parallelize(ids, ids.size())
                .map(r -> Metasmoothness.alongDirection(problem(shared.value()), thetaShared.value(), r, step, seed))
                .collect();
        double[] perDirection = values.stream().mapToDouble(Double::doubleValue).toArray();
        Result result = new Result(perDirection, Arrays.stream(perDirection).average().orElseThrow(),
                (System.nanoTime() - start) / 1e9);
        if (out != null) {
            try {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("params", params.describe());
                json.put("per_direction", perDirection);
                json.put("mean", result.mean());
                json.put("seconds", result.seconds());
                ValidateJob.writeText(out.stagingPath(), "smoothness.json", Json.pretty(json) + "\n", hadoop);
                TableManifest.of("smoothness", OUTPUT_SCHEMA).params(params.describe()).inputs(List.of(params.train()))
                        .put("files", List.of("smoothness.json")).writeTo(out.stagingPath(), hadoop);
                out.commit();
            } catch (Exception e) { // also SparkException, a checked exception Scala throws unchecked
                out.abort();
                throw e;
            }
        }
        return result;
    }

    private static MetagradientProblem problem(AttributionInputs in) {
        return new MetagradientProblem(in.config(), in.trainData(),
                Metaparameter.DataWeights.ones(in.train().size()), OutputFunction.meanLoss(in.trainData()));
    }

    /** What {@code mgd smoothness} prints: the mean and the per-direction values. */
    public static String summary(Result r) {
        return String.format("metasmoothness %.4f (per direction %s)%n", r.mean(), Arrays.toString(r.perDirection()));
    }

    /** {@code spark-submit} entry point; takes the same arguments as {@code mgd smoothness} and prints the same. */
    public static void main(String[] args) {
        JobMain.run("smoothness", args, new SmoothnessOptions(), o -> {
            SmoothnessParams params = o.toParams(); // before Spark starts, so bad values fail fast
            System.out.print(summary(run(SparkSessions.getOrCreate("metagrad-smoothness"), params)));
        });
    }
}
