package io.metagrad.spark.select;

import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.mgd.Metagradients;
import io.metagrad.core.smooth.Metasmoothness;
import io.metagrad.spark.io.AtomicFiles;
import io.metagrad.spark.io.Json;
import io.metagrad.spark.stream.ItemInts;
import io.metagrad.spark.stream.LayoutBatches;
import io.metagrad.spark.train.RunSpec;
import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metasmoothness of {@code select}'s training routine at the initial counts, estimated before any
 * MGD step (method.md §5): one Spark task per direction trains replica 0's run three times, streaming
 * the layout with every item's weight {@code count + k·h·v(row)} for {@code k = 0, 1, 2}, where
 * {@code v(row)} is a keyed normal draw ({@link Metasmoothness#keyedGaussian}), so nothing of pool
 * size is held beyond the counts. The value is written once to {@code smoothness.json} in the run
 * directory (a resumed run reads it back) and a low value warns, naming the knobs.
 */
final class SmoothnessStage {

    static final String FILE = "smoothness.json";
    private static final Logger LOG = LoggerFactory.getLogger(SmoothnessStage.class);
    /** What method.md §5 reports raises metasmoothness, as this project's options. */
    static final String KNOBS = "--batch-size (larger), --optimizer ADAM with --eps-root > 0, a moderate --lr with "
            + "--warmup-steps, --normalize, a smaller --logit-scale, --grad-clip";

    /** The estimate: per direction, the mean, and how it was made. */
    record Estimate(double[] perDirection, double mean, SmoothnessCheck check, double seconds) {
        boolean low() {
            return mean < check.threshold();
        }
    }

    private SmoothnessStage() {}

    /** The estimate recorded in {@code runDir}, else estimated now and recorded. */
    static Estimate estimateOnce(SparkSession spark, String runDir, SmoothnessCheck check, RunSpec spec,
            Supplier<ReplicaTask.Work> initial, int classes, long seed) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Optional<Estimate> recorded = read(runDir, check, hadoop);
        if (recorded.isPresent()) {
            return recorded.get();
        }
        long start = System.nanoTime();
        ReplicaTask.Work work = initial.get();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<SerializableConfiguration> conf = jsc.broadcast(new SerializableConfiguration(hadoop));
        try {
            jsc.setJobDescription("select: metasmoothness along " + check.directions() + " directions");
            List<Integer> directions = IntStream.range(0, check.directions()).boxed().toList();
            List<Double> values = jsc.parallelize(directions, directions.size())
                    .map(new AlongDirection(conf, spec, work, classes, check.step(), seed)).collect();
            jsc.setJobDescription(null);
            double[] per = values.stream().mapToDouble(Double::doubleValue).toArray();
            Estimate e = new Estimate(per, Arrays.stream(per).average().orElseThrow(), check, (System.nanoTime() - start) / 1e9);
            if (!Double.isFinite(e.mean())) {
                throw new IllegalStateException("select: the metasmoothness estimate is not finite (" + Arrays.toString(per)
                        + "): training diverges near the initial counts; lower --lr or raise --smoothness-step");
            }
            write(runDir, e, hadoop);
            return e;
        } finally {
            conf.destroy();
        }
    }

    /** Logs the estimate; a value below the threshold warns and names the knobs. */
    static void report(Estimate e) {
        String line = String.format("select: metasmoothness %.3f along %d directions (h = %s; per direction %s)", e.mean(),
                e.perDirection().length, e.check().step(), Arrays.toString(e.perDirection()));
        if (e.low()) {
            LOG.warn("{}: below {} — metagradients of this training routine are unreliable; raise it with {} "
                    + "(or select with a smoother routine)", line, e.check().threshold(), KNOBS);
        } else {
            LOG.info(line);
        }
    }

    private static void write(String runDir, Estimate e, Configuration hadoop) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("check", e.check().describe());
        json.put("per_direction", e.perDirection());
        json.put("mean", e.mean());
        json.put("below_threshold", e.low());
        json.put("seconds", e.seconds());
        AtomicFiles.writeText(new Path(runDir, FILE).toString(), Json.pretty(json) + "\n", hadoop);
    }

    /** The recorded estimate, if it was made with the same check. */
    static Optional<Estimate> read(String runDir, SmoothnessCheck check, Configuration hadoop) {
        return AtomicFiles.readText(new Path(runDir, FILE).toString(), hadoop).map(text -> Json.parse(text).getAsJsonObject())
                .filter(o -> o.getAsJsonObject("check").get("directions").getAsInt() == check.directions()
                        && o.getAsJsonObject("check").get("step").getAsDouble() == check.step())
                .map(o -> {
                    double[] per = new double[o.getAsJsonArray("per_direction").size()];
                    for (int i = 0; i < per.length; i++) {
                        per[i] = o.getAsJsonArray("per_direction").get(i).getAsDouble();
                    }
                    return new Estimate(per, o.get("mean").getAsDouble(), check, o.get("seconds").getAsDouble());
                });
    }

    /** One direction, in a task: three streamed trainings of replica 0's run and the estimator's {@code S}. */
    static final class AlongDirection implements Function<Integer, Double>, Serializable {
        private static final long serialVersionUID = 1L;
        private final Broadcast<SerializableConfiguration> hadoop;
        private final RunSpec spec;
        private final ReplicaTask.Work work;
        private final int classes;
        private final double step;
        private final long seed;

        AlongDirection(Broadcast<SerializableConfiguration> hadoop, RunSpec spec, ReplicaTask.Work work, int classes, double step,
                long seed) {
            this.hadoop = hadoop;
            this.spec = spec;
            this.work = work;
            this.classes = classes;
            this.step = step;
            this.seed = seed;
        }

        @Override
        public Double call(Integer direction) {
            Configuration conf = hadoop.value().value();
            TrainConfig config = spec.config(0, work.layout().rows());
            int[] counts = ItemInts.read(work.countsDir(), work.poolSize(), conf);
            double[][] theta = new double[3][];
            for (int k = 0; k < 3; k++) {
                double by = k * step;
                LayoutBatches.RowWeights weights = row -> shiftedWeight(counts[row], by, seed, direction, row);
                try (LayoutBatches batches = LayoutBatches.weighted(work.layout(), work.layoutDir(), config.seed(), conf,
                        config.batchSize(), config.steps(), weights, classes)) {
                    theta[k] = Metasmoothness.flatten(Metagradients.train(config, batches));
                }
            }
            return Metasmoothness.along(theta[0], theta[1], theta[2], step);
        }
    }

    /** Item {@code row}'s weight {@code count + by·v(row)} along direction {@code direction}. */
    static float shiftedWeight(int count, double by, long seed, int direction, int row) {
        return (float) (count + by * Metasmoothness.keyedGaussian(seed, direction, row));
    }
}
