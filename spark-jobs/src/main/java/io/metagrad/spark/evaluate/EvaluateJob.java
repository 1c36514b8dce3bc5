package io.metagrad.spark.evaluate;

import io.metagrad.core.mgd.ClassificationScores;
import io.metagrad.core.selection.Budget;
import io.metagrad.core.train.TrainingDiverged;
import io.metagrad.spark.JobMain;
import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.io.AtomicFiles;
import io.metagrad.spark.io.AtomicOutput;
import io.metagrad.spark.io.FeatureMatrix;
import io.metagrad.spark.io.FeatureTables;
import io.metagrad.spark.io.Inputs;
import io.metagrad.spark.io.Json;
import io.metagrad.spark.io.OutputGuard;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.io.ZeroShotPrompts;
import io.metagrad.spark.report.Plots;
import io.metagrad.spark.select.BaselineSelection;
import io.metagrad.spark.select.Method;
import io.metagrad.spark.select.SelectJob;
import io.metagrad.spark.select.SelectParams;
import io.metagrad.spark.select.SelectTables;
import io.metagrad.spark.train.FeatureRows;
import io.metagrad.spark.train.RunSpec;
import io.metagrad.spark.train.TableChecks;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * The side-by-side evaluation of data-selection methods: each method picks a subset of the pool for
 * each budget, looking only at the target split; then the downstream model is trained on every
 * selection with several seeds (one Spark task each) and scored on the test split no method saw.
 * Reports test accuracy mean ± std, the gain over training on all data, and each method's wall
 * time, as JSON, Markdown and a PNG. Deterministic given its seed.
 *
 * <p>{@code spark-submit --class io.metagrad.spark.evaluate.EvaluateJob spark-jobs-*.jar --pool … --target … --test … --output …}
 */
public final class EvaluateJob {

    private static final Logger LOG = LoggerFactory.getLogger(EvaluateJob.class);

    /**
     * One method at one budget: what it kept and how the downstream model did — test accuracy
     * (mean, std, gain over all-data, per seed) and balanced accuracy (mean per-class recall). Seeds whose
     * training diverged are left out of every mean and counted in {@code divergedSeeds}; {@code atChance}
     * flags a balanced accuracy within {@link Chance#tolerance} of guessing (1 / classes).
     */
    public record Row(String method, double budget, int kept, double mean, double std, double gain, double seconds,
            double[] perSeed, double balancedMean, double balancedStd, double balancedGain, double[] balancedPerSeed,
            int divergedSeeds, boolean atChance) {}

    /** One downstream training: its test scores, or why it diverged. */
    private record Trial(ClassificationScores scores, String diverged) implements java.io.Serializable {}

    /** All rows (all-data first) and where they were written. */
    public record Result(String output, List<Row> rows) {
        /** The row of {@code method} at {@code budget}. */
        public Row row(String method, double budget) {
            return rows.stream().filter(r -> r.method().equals(method) && r.budget() == budget).findFirst().orElseThrow();
        }
    }

    /** A selection to evaluate. */
    private record Selected(Method method, double budget, int[] counts, double seconds) {}

    /** Schema of the output directory's own {@code _metagrad.json}. */
    public static final String OUTPUT_SCHEMA = "evaluate_output/v1";

    private EvaluateJob() {}

    public static Result run(SparkSession spark, EvaluateParams params) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        for (String[] t : new String[][] {{params.pool(), "--pool"}, {params.target(), "--target"}, {params.test(), "--test"}}) {
            Inputs.requireTable(t[0], t[1], hadoop);
        }
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put("--pool", params.pool());
        inputs.put("--target", params.target());
        inputs.put("--test", params.test());
        inputs.put("--prompts", params.prompts());
        OutputGuard.requireApart("evaluate", Map.of("--output", params.output()), inputs, hadoop);
        AtomicOutput out = AtomicOutput.to(params.output(), hadoop, params.overwrite());
        try {
            boolean clip = params.training().pairsFeaturesWithTargets();
            FeatureMatrix poolMatrix = FeatureTables.read(spark, params.pool());
            FeatureMatrix targetMatrix = FeatureTables.read(spark, params.target());
            FeatureMatrix testMatrix = FeatureTables.read(spark, params.test());
            int classes = params.classes() > 0 ? params.classes()
                    : Math.max(2, Math.max(poolMatrix.classes(), Math.max(targetMatrix.classes(), testMatrix.classes())));
            FeatureRows pool = FeatureRows.of(poolMatrix, params.pool());
            FeatureRows target = FeatureRows.of(targetMatrix, params.target());
            FeatureRows test = FeatureRows.of(testMatrix, params.test());
            TableChecks.sameWidth("evaluate", "--pool", pool, Map.of("--target", target, "--test", test));
            if (!clip) {
                TableChecks.classesInPool("evaluate", "--pool", pool, Map.of("--target", target, "--test", test));
            }
            RunSpec spec = RunSpec.of(params.training(), params.knobs(), pool, classes);
            // Bad labels or missing targets fail here, on the driver, not in a task.
            spec.data(pool);
            spec.data(target);
            test.withLabels(classes);
            double[] prompts = clip ? ZeroShotPrompts.read(spark, params.prompts(), classes, spec.outputDim()) : null;

            List<Selected> selections = new ArrayList<>();
            int[] everything = new int[pool.size()];
            Arrays.fill(everything, 1);
            selections.add(new Selected(Method.ALL_DATA, 1.0, everything, 0));
            for (double budget : params.budgets()) {
                for (Method method : params.methods()) {
                    long start = System.nanoTime();
                    int[] counts;
                    if (method.updateRule().isPresent()) {
                        counts = mgd(spark, params, method, budget, out.stagingPath(), pool.uids());
                    } else {
                        double[] scores = BaselineSelection.scores(method, spec, pool, target, params.seed());
                        counts = BaselineSelection.counts(scores, Budget.ofFraction(budget));
                        writeSelection(spark, runDir(out.stagingPath(), method, budget), pool.uids(), counts, scores);
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    LOG.info(String.format(Locale.ROOT, "evaluate: %s at budget %.2f kept %d of %d in %.1f s", method, budget,
                            Arrays.stream(counts).filter(c -> c > 0).count(), pool.size(), seconds));
                    selections.add(new Selected(method, budget, counts, seconds));
                }
            }
            Trial[][] trials = downstream(spark, new Downstream(pool, test, prompts, spec), selections, params.seeds());
            List<Row> rows = summarize(selections, trials, Chance.of(test.labels()));
            Result result = new Result(out.destination().toString(), rows);
            write(out.stagingPath(), hadoop, params, result);
            out.commit();
            return result;
        } catch (Exception e) { // also SparkException, a checked exception Scala throws unchecked
            out.abort();
            throw e;
        }
    }

    /** Runs an MGD method's selection into {@code runs/<method>-<budget>} and returns its counts in pool order. */
    private static int[] mgd(SparkSession spark, EvaluateParams params, Method method, double budget, String staging,
            String[] poolUids) {
        String dir = runDir(staging, method, budget);
        SelectJob.Result r = SelectJob.run(spark, SelectParams.builder(params.pool(), params.target(), dir)
                .training(params.training()).prompts(params.mgd().zeroShotTarget() ? params.prompts() : null)
                .classes(params.classes()).update(method.updateRule().orElseThrow())
                .pruneFraction(params.mgd().pruneFraction()).mgdSteps(params.mgd().steps())
                .replicas(params.mgd().replicas()).stepSize(params.mgd().stepSize())
                .maskProbability(params.mgd().maskProbability()).seed(params.seed()).keepFraction(budget).build());
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < poolUids.length; i++) {
            index.put(poolUids[i], i);
        }
        int[] counts = new int[poolUids.length];
        for (org.apache.spark.sql.Row row : spark.read().parquet(r.selectionPath()).select("uid", "count").collectAsList()) {
            counts[index.get(row.getString(0))] = row.getInt(1);
        }
        return counts;
    }

    /** Where a method's selection at a budget is kept: {@code runs/<method>-<budget>} in the output. */
    private static String runDir(String staging, Method method, double budget) {
        return new Path(staging, String.format(Locale.ROOT, "runs/%s-%.2f", method.cliName(), budget)).toString();
    }

    /** A baseline's selection as a {@code selection/v1} table (count 1, ranked by score), like MGD's. */
    private static void writeSelection(SparkSession spark, String dir, String[] uids, int[] counts, double[] scores) {
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                kept.add(i);
            }
        }
        kept.sort((a, b) -> Double.compare(scores[b], scores[a]));
        List<org.apache.spark.sql.Row> rows = new ArrayList<>(kept.size());
        for (int r = 0; r < kept.size(); r++) {
            rows.add(org.apache.spark.sql.RowFactory.create(uids[kept.get(r)], 1, null, r + 1));
        }
        spark.createDataFrame(rows, SelectTables.SELECTION).coalesce(1).write().parquet(new Path(dir, "selection").toString());
    }

    /**
     * {@code [selection][seed]} test scores, one Spark task per (selection, seed). A selection whose training diverges
     * is reported as such; training on all data diverging means the settings are wrong, and fails the job.
     */
    private static Trial[][] downstream(SparkSession spark, Downstream shared, List<Selected> selections, int seeds) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<Downstream> data = jsc.broadcast(shared);
        List<int[]> counts = selections.stream().map(Selected::counts).toList();
        Broadcast<List<int[]>> allCounts = jsc.broadcast(counts);
        List<Tuple2<Integer, Integer>> jobs = new ArrayList<>();
        for (int s = 0; s < selections.size(); s++) {
            for (int seed = 0; seed < seeds; seed++) {
                jobs.add(new Tuple2<>(s, seed));
            }
        }
        spark.sparkContext().setJobDescription("evaluate: " + jobs.size() + " downstream trainings");
        List<Tuple2<Tuple2<Integer, Integer>, Trial>> results = jsc.parallelize(jobs, jobs.size())
                .map(j -> {
                    try {
                        return new Tuple2<>(j, new Trial(data.value().scores(allCounts.value().get(j._1()), j._2()), null));
                    } catch (TrainingDiverged d) {
                        if (j._1() == 0) {
                            throw d; // all data, the reference every gain is measured against
                        }
                        return new Tuple2<>(j, new Trial(null, d.finding()));
                    }
                })
                .collect();
        Trial[][] trials = new Trial[selections.size()][seeds];
        for (Tuple2<Tuple2<Integer, Integer>, Trial> r : results) {
            trials[r._1()._1()][r._1()._2()] = r._2();
            if (r._2().diverged() != null) {
                LOG.warn("evaluate: {} at budget {} seed {}: {}; left out of the means", selections.get(r._1()._1()).method(),
                        selections.get(r._1()._1()).budget(), r._1()._2(), r._2().diverged());
            }
        }
        return trials;
    }

    private static List<Row> summarize(List<Selected> selections, Trial[][] trials, Chance chance) {
        // Diverged seeds have no scores: they are counted, never averaged in.
        double[][] accuracy = Arrays.stream(trials).map(row -> Arrays.stream(row).filter(t -> t.scores() != null)
                .mapToDouble(t -> t.scores().accuracy()).toArray()).toArray(double[][]::new);
        double[][] balanced = Arrays.stream(trials).map(row -> Arrays.stream(row).filter(t -> t.scores() != null)
                .mapToDouble(t -> t.scores().balancedAccuracy()).toArray()).toArray(double[][]::new);
        double reference = mean(accuracy[0]);
        double balancedReference = mean(balanced[0]);
        List<Row> rows = new ArrayList<>();
        for (int s = 0; s < selections.size(); s++) {
            Selected sel = selections.get(s);
            int kept = (int) Arrays.stream(sel.counts()).filter(c -> c > 0).count();
            double m = mean(accuracy[s]);
            double b = mean(balanced[s]);
            int diverged = trials[s].length - accuracy[s].length;
            rows.add(new Row(sel.method().cliName(), sel.budget(), kept, m, std(accuracy[s]), m - reference, sel.seconds(),
                    accuracy[s], b, std(balanced[s]), b - balancedReference, balanced[s], diverged, chance.at(b)));
        }
        return rows;
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    private static double std(double[] v) {
        double m = mean(v);
        return Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / Math.max(1, v.length - 1));
    }

    /** The Markdown table: one row per method and budget. */
    public static String markdown(Result r) {
        StringBuilder b = new StringBuilder("| method | budget | kept | test accuracy (mean ± std) | gain over all-data"
                + " | balanced accuracy (mean ± std) | balanced gain | select seconds | flags |\n|---|---|---|---|---|---|---|---|---|\n");
        boolean flagged = false;
        for (Row row : r.rows()) {
            List<String> flags = new ArrayList<>();
            if (row.divergedSeeds() > 0) {
                flags.add("diverged in " + row.divergedSeeds() + " of " + (row.divergedSeeds() + row.perSeed().length) + " seeds");
            }
            if (row.atChance()) {
                flags.add("at chance");
            }
            flagged |= !flags.isEmpty();
            b.append(String.format(Locale.ROOT, "| %s | %.0f%% | %d | %.4f ± %.4f | %+.4f | %.4f ± %.4f | %+.4f | %.1f | %s |%n",
                    row.method(), 100 * row.budget(), row.kept(), row.mean(), row.std(), row.gain(), row.balancedMean(),
                    row.balancedStd(), row.balancedGain(), row.seconds(), String.join("; ", flags)));
        }
        if (flagged) {
            b.append("\nFlags: diverged seeds are left out of the means; \"at chance\" means the balanced accuracy is within "
                    + "guessing range (1 / classes plus a margin for the test set's size): that model learned nothing.\n");
        }
        return b.toString();
    }

    /** What {@code mgd evaluate} prints: the {@link #markdown} table and the output files. */
    public static String summary(Result r) {
        return markdown(r) + "outputs: " + r.output() + "/{evaluate.json,evaluate.md,evaluate.png,evaluate-balanced.png}"
                + System.lineSeparator();
    }

    private static void write(String dir, Configuration hadoop, EvaluateParams params, Result r) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("params", params.describe());
        json.put("rows", r.rows());
        writeBytes(dir, "evaluate.json", (Json.pretty(json) + "\n").getBytes(StandardCharsets.UTF_8), hadoop);
        writeBytes(dir, "evaluate.md", markdown(r).getBytes(StandardCharsets.UTF_8), hadoop);
        writeBytes(dir, "evaluate.png", plot(params, r, "Test accuracy", Row::mean, Row::std), hadoop);
        writeBytes(dir, "evaluate-balanced.png", plot(params, r, "Balanced test accuracy", Row::balancedMean, Row::balancedStd),
                hadoop);
        TableManifest.of("evaluate", OUTPUT_SCHEMA).params(params.describe())
                .inputs(java.util.stream.Stream.of(params.pool(), params.target(), params.test(), params.prompts())
                        .filter(java.util.Objects::nonNull).toList())
                .put("files", List.of("evaluate.json", "evaluate.md", "evaluate.png", "evaluate-balanced.png", "runs/"))
                .writeTo(dir, hadoop);
    }

    /** Grouped bars (one group per budget, one bar per method, all-data repeated) of one metric, mean ± std. */
    private static byte[] plot(EvaluateParams params, Result r, String metric, java.util.function.ToDoubleFunction<Row> mean,
            java.util.function.ToDoubleFunction<Row> std) {
        double[] budgets = params.budgets();
        String[] groups = Arrays.stream(budgets).mapToObj(b -> String.format(Locale.ROOT, "keep %.0f%%", 100 * b)).toArray(String[]::new);
        Map<String, double[][]> series = new LinkedHashMap<>();
        Row all = r.rows().get(0);
        series.put("all-data", Arrays.stream(budgets)
                .mapToObj(b -> new double[] {mean.applyAsDouble(all), std.applyAsDouble(all)}).toArray(double[][]::new));
        for (Method m : params.methods()) {
            series.put(m.cliName(), Arrays.stream(budgets).mapToObj(b -> {
                Row row = r.row(m.cliName(), b);
                return new double[] {mean.applyAsDouble(row), std.applyAsDouble(row)};
            }).toArray(double[][]::new));
        }
        return Plots.groupedBars(metric + " by method and budget (mean ± std over seeds)", groups, series);
    }

    private static void writeBytes(String dir, String name, byte[] bytes, Configuration hadoop) {
        AtomicFiles.write(new Path(dir, name).toString(), bytes, hadoop);
    }

    /** {@code spark-submit} entry point; takes the same arguments as {@code mgd evaluate} and prints the same. */
    public static void main(String[] args) {
        JobMain.run("evaluate", args, new EvaluateOptions(), o -> {
            EvaluateParams params = o.toParams(); // before Spark starts, so bad values fail fast
            System.out.print(summary(run(SparkSessions.getOrCreate("metagrad-evaluate"), params)));
        });
    }
}
