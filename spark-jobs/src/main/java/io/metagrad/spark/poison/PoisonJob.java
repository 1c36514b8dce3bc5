package io.metagrad.spark.poison;

import com.google.gson.JsonObject;
import io.metagrad.spark.JobMain;
import io.metagrad.spark.Progress;
import io.metagrad.spark.descent.DescentDirectory;
import io.metagrad.spark.descent.DescentLoop;
import io.metagrad.spark.descent.DescentOutput;
import io.metagrad.spark.io.AtomicOutput;
import io.metagrad.spark.report.RunReport;
import io.metagrad.spark.io.FeatureTables;
import io.metagrad.spark.io.Json;
import io.metagrad.spark.io.OutputGuard;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.schema.Table;
import io.metagrad.spark.select.JobSession;
import io.metagrad.spark.train.Splits;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A data-poisoning audit (MGD-DP, method.md §4): how far can an ε-fraction of the training rows,
 * changed within a box (or a ball around each original row), lower a model's test accuracy? MGD
 * ascends the validation loss by its exact metagradient with respect to the rows' features and/or
 * soft labels, through the whole training run, one Spark task per replica per step, checkpointed and
 * resumable; the baselines ({@link PoisonMethod}) change the same rows in one go. Either way the
 * model is then trained on the clean and on the poisoned rows with evaluation seeds and scored on
 * the test rows.
 *
 * <p>Outputs under {@code --output}: {@code poisoned/} (the training table with the poisoned rows,
 * {@code source} marking them), {@code report.json}, {@code report.md}, {@code accuracy.png},
 * {@code images.png} (pixel features), and for MGD the run's {@code state.json},
 * {@code metrics.jsonl} and {@code iterates/}.
 *
 * <p>{@code spark-submit --class io.metagrad.spark.poison.PoisonJob spark-jobs-*.jar --train … --validation … --test … --output …}
 */
public final class PoisonJob {

    private static final Logger LOG = LoggerFactory.getLogger(PoisonJob.class);
    static final String JOB = "poison";
    static final String POISONED = "poisoned";

    /**
     * What a run did.
     *
     * @param finished whether the poison is made and scored (false when MGD stopped early on purpose)
     * @param completedStep MGD steps done (0 for baselines)
     * @param report the contents of {@code report.json} (null when not finished)
     */
    public record Result(String output, PoisonMethod method, boolean finished, int completedStep, Map<String, Object> report) {

        /** Path of the poisoned training table. */
        public String poisonedPath() {
            return new org.apache.hadoop.fs.Path(output, POISONED).toString();
        }
    }

    private PoisonJob() {}

    public static Result run(SparkSession spark, PoisonParams params) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        OutputGuard.requireApart(JOB, Map.of("--output", params.output()), inputOptions(params), hadoop);
        Splits splits = Splits.read(spark, params.train(), params.validation(), params.test(), params.training(), params.knobs(),
                params.classes());
        int n = splits.train().size();
        int m = (int) Math.round(params.fraction() * n);
        if (m < 1 || m >= n) {
            throw new IllegalArgumentException("poison --fraction " + params.fraction() + " of " + n + " training rows poisons "
                    + m + " rows; choose a fraction that poisons at least one row and leaves one clean");
        }
        int[] rows = chooseRows(n, m, params.seed());
        boolean changesFeatures = params.method() == PoisonMethod.MGD ? params.features() : params.method().changesFeatures();
        double[] pixelScale = pixelScale(spark, params.train());
        InputConstraint constraint = !changesFeatures ? null
                : params.ball() > 0 ? new InputConstraint.Ball(params.ball()) : params.box().resolve(splits.train(), pixelScale);
        PoisonData data = new PoisonData(splits.train(), splits.validation(), splits.test(), splits.spec(), rows,
                params.method() != PoisonMethod.MGD || params.features(), params.method() == PoisonMethod.MGD && params.labels());
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        try (Progress progress = Progress.start(spark, JOB)) {
            return params.method() == PoisonMethod.MGD
                    ? mgd(spark, jsc, params, splits, data, constraint, pixelScale, progress)
                    : baseline(spark, jsc, params, data, constraint, pixelScale, progress);
        }
    }

    /** {@code m} of the {@code n} training rows (uid order), drawn by a seeded shuffle, in ascending order. */
    static int[] chooseRows(int n, int m, long seed) {
        List<Integer> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        Collections.shuffle(all, new Random(seed));
        return all.subList(0, m).stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    private static Result mgd(SparkSession spark, JavaSparkContext jsc, PoisonParams params, Splits splits, PoisonData data,
            InputConstraint constraint, double[] pixelScale, Progress progress) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Map<String, String> resume = params.resumeParams();
        DescentLoop.Spec spec = new DescentLoop.Spec(JOB, params.descent(), resume, splits.fingerprints(),
                TableManifest.of(JOB, "poison_run/v1").params(params.describe()).inputs(inputs(params))
                        .put("input_sha256", splits.fingerprints()).put("poisoned_rows", data.rows().length), false);
        DescentOutput out = DescentOutput.open(params.output(), params.overwrite(), hadoop);
        DescentDirectory dir = out.dir();
        DescentLoop.requireResumable(dir, spec);
        Broadcast<PoisonData> shared = jsc.broadcast(data);
        try {
            PoisonObjective objective = new PoisonObjective(jsc, shared, params.replicas(), params.replayK(), constraint);
            long start = System.nanoTime();
            DescentLoop.Result r = DescentLoop.run(dir, objective, data.start().value(), spec, LOG::info);
            if (!r.finished()) {
                out.commit();
                return new Result(out.path(), PoisonMethod.MGD, false, r.completedStep(), null);
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("best_step", r.bestStep());
            details.put("best_validation_loss", r.bestValue());
            details.put("mgd_steps", r.plannedSteps());
            details.put("metagradients", (r.plannedSteps() + 1) * params.replicas());
            Poison poison = Poison.fromIterate(data, r.bestZ(), details);
            progress.step("poison made at MGD step " + r.bestStep() + "; training clean and poisoned models with "
                    + params.evalSeeds() + " evaluation seeds");
            Downstream.Outcome scores = Downstream.run(jsc, shared, poison, params.evalSeeds());
            Map<String, Object> report = PoisonReport.of(params, data, constraint, poison, scores,
                    (System.nanoTime() - start) / 1e9 - scores.seconds());
            writeOutputs(spark, dir.path(), params, data, poison, report, pixelScale, r.metrics(), hadoop);
            RunReport.writeInto(dir.path(), params.output(), hadoop);
            out.commit();
            LOG.info("poison: {}", PoisonReport.summaryLine(report));
            return new Result(out.path(), PoisonMethod.MGD, true, r.completedStep(), report);
        } catch (Exception e) { // also SparkException, a checked exception Scala throws unchecked
            out.abort();
            throw e;
        } finally {
            shared.destroy();
        }
    }

    private static Result baseline(SparkSession spark, JavaSparkContext jsc, PoisonParams params, PoisonData data,
            InputConstraint constraint, double[] pixelScale, Progress progress) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        AtomicOutput out = AtomicOutput.to(params.output(), hadoop, params.overwrite());
        Broadcast<PoisonData> shared = jsc.broadcast(data);
        try {
            progress.step("making the " + params.method().cliName() + " poison of " + data.rows().length + " rows");
            long start = System.nanoTime();
            Poison poison = Baselines.make(params.method(), data, constraint, params);
            double seconds = (System.nanoTime() - start) / 1e9;
            progress.step("training clean and poisoned models with " + params.evalSeeds() + " evaluation seeds");
            Downstream.Outcome scores = Downstream.run(jsc, shared, poison, params.evalSeeds());
            Map<String, Object> report = PoisonReport.of(params, data, constraint, poison, scores, seconds);
            writeOutputs(spark, out.stagingPath(), params, data, poison, report, pixelScale, null, hadoop);
            TableManifest.of(JOB, "poison_run/v1").params(params.describe()).inputs(inputs(params))
                    .put("poisoned_rows", data.rows().length).writeTo(out.stagingPath(), hadoop);
            RunReport.writeInto(out.stagingPath(), params.output(), hadoop);
            out.commit();
            LOG.info("poison: {}", PoisonReport.summaryLine(report));
            return new Result(out.destination().toString(), params.method(), true, 0, report);
        } catch (Exception e) { // also SparkException, a checked exception Scala throws unchecked
            out.abort();
            throw e;
        } finally {
            shared.destroy();
        }
    }

    private static void writeOutputs(SparkSession spark, String root, PoisonParams params, PoisonData data, Poison poison,
            Map<String, Object> report, double[] pixelScale, List<JsonObject> metrics, Configuration hadoop) {
        DescentDirectory dir = DescentDirectory.at(root, hadoop);
        PoisonedTable.write(spark, data, poison, params.method(), params.train(), dir.resolve(POISONED),
                TableManifest.of(JOB, Table.FEATURES).params(params.describe()).inputs(inputs(params))
                        .put("poisoned_rows", data.rows().length).put("method", params.method().cliName()));
        dir.writeFile("report.json", (Json.pretty(report) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        dir.writeFile("report.md", PoisonReport.markdown(report).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        dir.writeFile("accuracy.png", PoisonReport.accuracyPlot(report, metrics));
        int side = ImageGrid.side(data.train().width());
        if (pixelScale != null && side > 0) {
            int[] rows = data.rows();
            int[] before = new int[rows.length];
            int[] after = new int[rows.length];
            for (int r = 0; r < rows.length; r++) {
                before[r] = data.train().label(rows[r]);
                after[r] = poison.label(r, data.classes());
            }
            dir.writeFile("images.png", ImageGrid.draw("Poisoned rows (" + params.method().cliName()
                    + "): original above, poisoned below", data.trainData().featureRows(rows), poison.features(), before, after,
                    data.train().width(), pixelScale, 12));
        }
    }

    /** The table's pixel standardization {@code {mean, std}} when it was made by the pixels featurizer, else null. */
    static double[] pixelScale(SparkSession spark, String train) {
        Row first = FeatureTables.dataset(spark, train).select("featurizer", "featurizer_params").first();
        if (first == null || first.isNullAt(0) || !"pixels".equals(first.getString(0)) || first.isNullAt(1)) {
            return null;
        }
        JsonObject p = Json.parse(first.getString(1)).getAsJsonObject();
        return p.has("mean") && p.has("std") ? new double[] {p.get("mean").getAsDouble(), p.get("std").getAsDouble()} : null;
    }

    private static Map<String, String> inputOptions(PoisonParams params) {
        Map<String, String> in = new LinkedHashMap<>();
        in.put("--train", params.train());
        in.put("--validation", params.validation());
        in.put("--test", params.test());
        return in;
    }

    private static List<String> inputs(PoisonParams params) {
        return List.of(params.train(), params.validation(), params.test());
    }

    /** What {@code mgd poison} prints: the accuracy line and where the outputs are. */
    public static String summary(Result r) {
        return PoisonReport.summary(r);
    }

    /** {@code spark-submit} entry point; same options and exit codes as {@code mgd poison}. */
    public static void main(String[] args) {
        JobMain.run(JOB, args, new PoisonOptions(), o -> {
            PoisonParams params = o.toParams(); // before Spark starts, so bad values fail fast
            Result r = run(JobSession.start("mgd poison", o.conf()), params);
            System.out.println(summary(r));
        });
    }
}
