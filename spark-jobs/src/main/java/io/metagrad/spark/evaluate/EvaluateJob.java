package io.metagrad.spark.evaluate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.metagrad.core.mgd.ClassificationScores;
import io.metagrad.core.selection.Budget;
import io.metagrad.spark.JobMain;
import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.curate.Submission;
import io.metagrad.spark.io.AtomicFiles;
import io.metagrad.spark.io.AtomicOutput;
import io.metagrad.spark.io.FeatureTables;
import io.metagrad.spark.io.Inputs;
import io.metagrad.spark.io.Json;
import io.metagrad.spark.io.OutputGuard;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.io.ZeroShotPrompts;
import io.metagrad.spark.report.Plots;
import io.metagrad.spark.report.RunReport;
import io.metagrad.spark.select.BaselineSelectJob;
import io.metagrad.spark.select.Method;
import io.metagrad.spark.select.SelectJob;
import io.metagrad.spark.select.SelectParams;
import io.metagrad.spark.select.UpdateRule;
import io.metagrad.spark.stream.IndexedPool;
import io.metagrad.spark.train.Classes;
import io.metagrad.spark.train.FeatureRows;
import io.metagrad.spark.train.RunSpec;
import io.metagrad.spark.train.TableChecks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The side-by-side evaluation of data-selection methods: each method picks a subset of the pool for
 * each budget, looking only at the target split; then the downstream model is trained on every
 * selection with several seeds and scored on the test split no method saw ({@link Downstream}:
 * streamed from a layout of each selection, one Spark task per training, the pool never in one JVM).
 *
 * <p>The comparison is fair by construction: the downstream seeds are disjoint from every seed a
 * method trained with ({@link EvaluationSeeds}); every method's inner training is the downstream
 * routine (the same options and smoothing knobs, MGD's replicas included); one budget rule
 * ({@link Budget#ofPool}) and one class count for all; counts are multiplicities in the data order,
 * and every selection at a budget trains the same steps of the same batch, so every method gets the
 * same gradient mass (the report shows each selection's total weight, and a row "each selected item
 * once" for MGD's counts). A diverged or chance-level downstream run is flagged and left out of the
 * means. Reports test accuracy mean ± std, the gain over training on all data, and each method's
 * wall time, as JSON, Markdown and a PNG. Deterministic given its seed.
 *
 * <p>{@code spark-submit --class io.metagrad.spark.evaluate.EvaluateJob spark-jobs-*.jar --pool … --target … --test … --output …}
 */
public final class EvaluateJob {

    private static final Logger LOG = LoggerFactory.getLogger(EvaluateJob.class);

    /** What the row of a count-based method trained on its kept items once each is called: {@code <method> once}. */
    public static final String EACH_ONCE = " once";

    /**
     * One method at one budget: what it kept and how the downstream model did — test accuracy
     * (mean, std, gain over all-data, per seed) and balanced accuracy (mean per-class recall). Seeds whose
     * training diverged ({@code divergedSeeds}) or whose balanced accuracy is within {@link Chance#tolerance}
     * of guessing ({@code chanceSeeds}) are left out of every mean; {@code atChance} flags a row with any.
     *
     * @param totalWeight the selection's total weight: the sum of its counts (examples of one pass)
     * @param trainSteps downstream training steps of every seed (the same for every method at one budget)
     * @param batchSize examples per step
     * @param note why the row has no scores (a selection smaller than a batch), else null
     */
    public record Row(String method, double budget, int kept, double mean, double std, double gain, double seconds,
            double[] perSeed, double balancedMean, double balancedStd, double balancedGain, double[] balancedPerSeed,
            int divergedSeeds, boolean atChance, int chanceSeeds, long totalWeight, int trainSteps, int batchSize,
            String note) {}

    /** All rows (all-data first) and where they were written. */
    public record Result(String output, List<Row> rows, EvaluationSeeds seeds) {
        /** The row of {@code method} at {@code budget}. */
        public Row row(String method, double budget) {
            return rows.stream().filter(r -> r.method().equals(method) && r.budget() == budget).findFirst().orElseThrow();
        }
    }

    /** A selection to evaluate: its name, budget, counts by pool row, and how long the method took. */
    record Selected(String name, double budget, Downstream.Selection selection, double seconds) {}

    /** Schema of the output directory's own {@code _metagrad.json}. */
    public static final String OUTPUT_SCHEMA = "evaluate_output/v1";

    /** Where {@code --submissions} puts each selection's DataComp submission, in the output. */
    public static final String SUBMISSIONS = "submissions";

    /** Scratch inside the staging directory (the selections' layouts), removed before the commit. */
    private static final String WORK = "_work";

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
        params.selections().forEach((name, run) -> inputs.put("--selection " + name, run));
        OutputGuard.requireApart("evaluate", Map.of("--output", params.output()), inputs, hadoop);
        AtomicOutput out = AtomicOutput.to(params.output(), hadoop, params.overwrite());
        try (IndexedPool pool = IndexedPool.of(spark, params.pool());
                OracleSelection oracle = params.oracleSources().isEmpty() ? null
                        : OracleSelection.rank(spark, params.pool(), params.oracleSources(), params.seed())) {
            boolean clip = params.training().pairsFeaturesWithTargets();
            FeatureRows target = FeatureRows.of(FeatureTables.read(spark, params.target()), params.target());
            FeatureRows test = FeatureRows.of(FeatureTables.read(spark, params.test()), params.test());
            TableChecks.sameWidth("evaluate", "--pool", pool.source(), pool.width(), Map.of("--target", target, "--test", test));
            // The class count is decided here, once, and handed to every method.
            int classes = Classes.of(params.classes(), pool.maxLabel(), target.maxLabel(), test.maxLabel());
            if (!clip) {
                requireLabels(pool, classes);
                TableChecks.classesInPool("evaluate", "--pool", pool.source(), pool.labels(),
                        Map.of("--target", target, "--test", test));
            }
            RunSpec spec = new RunSpec(params.training(), params.knobs(), pool.width(), clip ? pool.targetWidth() : classes);
            // Bad labels or missing targets fail here, on the driver, not in a task.
            spec.data(target);
            test.withLabels(classes);
            double[] prompts = clip ? ZeroShotPrompts.read(spark, params.prompts(), classes, spec.outputDim()) : null;
            if (params.training().batchSize() > pool.size()) {
                throw new IllegalArgumentException("--batch-size " + params.training().batchSize() + " exceeds the " + pool.size()
                        + " rows of " + params.pool());
            }
            EvaluationSeeds seeds = EvaluationSeeds.of(params.methods().stream().anyMatch(m -> m.updateRule().isPresent())
                    ? params.mgd().replicas() : 1, params.seeds());

            List<Selected> selections = new ArrayList<>();
            Map<String, String[]> submissions = new LinkedHashMap<>(); // name → {method, select run once committed, selection table}
            selections.add(new Selected(Method.ALL_DATA.cliName(), 1.0, new Downstream.Selection(Method.ALL_DATA.cliName(),
                    pool.rows().withColumn("count", lit(1)), pool.size(), true), 0));
            for (double budget : params.budgets()) {
                long items = Budget.ofPool(budget, pool.size());
                for (Method method : params.methods()) {
                    long start = System.nanoTime();
                    String dir = runDir(out.stagingPath(), method, budget);
                    submissions.put(EvaluateParams.runName(method, budget), new String[] {method.cliName(),
                        runDir(out.destination().toString(), method, budget), new Path(dir, "selection").toString()});
                    if (method.updateRule().isPresent()) {
                        mgd(spark, params, method, budget, classes, dir);
                    } else {
                        baseline(spark, params, method, budget, clip ? 0 : classes, dir);
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    Dataset<org.apache.spark.sql.Row> counts = Downstream.countsOf(spark, pool, new Path(dir, "selection").toString());
                    LOG.info(String.format(Locale.ROOT, "evaluate: %s at budget %.2f chose its %d items in %.1f s", method,
                            budget, items, seconds));
                    selections.add(new Selected(method.cliName(), budget,
                            new Downstream.Selection(method.cliName(), counts, items, false), seconds));
                    if (method.updateRule().orElse(null) == UpdateRule.SIGNED) {
                        String once = method.cliName() + EACH_ONCE;
                        selections.add(new Selected(once, budget, new Downstream.Selection(once,
                                counts.withColumn("count", lit(1)), items, false), seconds));
                    }
                }
                if (oracle != null) {
                    LOG.info(String.format(Locale.ROOT, "evaluate: oracle at budget %.2f keeps %d items, %d of them with source in %s",
                            budget, items, Math.min(items, oracle.known()), params.oracleSources()));
                    selections.add(new Selected(OracleSelection.NAME, budget, new Downstream.Selection(OracleSelection.NAME,
                            oracle.counts(pool, items), items, false), 0));
                }
            }
            for (Map.Entry<String, String> run : params.selections().entrySet()) {
                selections.add(given(spark, pool, run.getKey(), run.getValue(), hadoop));
                submissions.put(run.getKey(), new String[] {run.getKey(), run.getValue(), new Path(run.getValue(), "selection").toString()});
            }
            String work = new Path(out.stagingPath(), WORK).toString();
            List<Downstream.Outcome> outcomes = new Downstream(spark, pool, spec, !clip, test, prompts, seeds.downstream(), work)
                    .run(selections.stream().map(Selected::selection).toList());
            deleteWork(work, hadoop);
            List<Row> rows = summarize(selections, outcomes, Chance.of(test.labels()));
            Result result = new Result(out.destination().toString(), rows, seeds);
            Map<String, Object> written = params.submissions()
                    ? writeSubmissions(spark, params, pool.size(), submissions, out.stagingPath(), hadoop) : null;
            write(out.stagingPath(), hadoop, params, spec, result, written);
            out.commit();
            return result;
        } catch (Exception e) { // also SparkException, a checked exception Scala throws unchecked
            out.abort();
            throw e;
        }
    }

    /**
     * A finished select run ({@code --selection NAME=RUN}) as it is: every uid must be a pool item; its budget is the
     * fraction it kept, so it trains the same steps on its own items (with {@code --epochs}, as many passes).
     */
    private static Selected given(SparkSession spark, IndexedPool pool, String name, String run, Configuration hadoop) {
        String table = new Path(run, "selection").toString();
        Inputs.requireTable(table, "--selection " + name, hadoop);
        Dataset<org.apache.spark.sql.Row> counts = Downstream.countsOf(spark, pool, table);
        long listed = spark.read().parquet(table).count();
        long items = counts.count();
        if (items != listed) {
            throw new IllegalArgumentException("--selection " + name + "=" + run + ": " + (listed - items) + " of its " + listed
                    + " uids are not in --pool " + pool.source() + " (give the pool it selected from)");
        }
        LOG.info(String.format(Locale.ROOT, "evaluate: --selection %s kept %d of %d items", name, items, pool.size()));
        return new Selected(name, (double) items / pool.size(), new Downstream.Selection(name, counts, Math.max(items, 1), false), 0);
    }

    /**
     * {@code --submissions}: each compared selection's DataComp submission ({@link Submission}, the bytes {@code curate
     * --npy} writes) in {@code submissions/<name>/} of the staged output; what each kept, by name.
     */
    private static Map<String, Object> writeSubmissions(SparkSession spark, EvaluateParams params, long poolSize,
            Map<String, String[]> runs, String staging, Configuration hadoop) {
        Map<String, Object> written = new LinkedHashMap<>();
        for (Map.Entry<String, String[]> run : runs.entrySet()) {
            String[] r = run.getValue();
            boolean own = !params.selections().containsKey(run.getKey());
            // evaluate's own runs were made by this command: its command line is theirs
            Map<String, Object> summary = Submission.writeInto(spark, new Path(staging, SUBMISSIONS + "/" + run.getKey()).toString(),
                    params.pool(), poolSize, r[1], r[2], r[0], own ? TableManifest.commandLine() : null, hadoop);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", SUBMISSIONS + "/" + run.getKey());
            m.put("method", summary.get("method"));
            m.put("selected", summary.get("selected"));
            m.put("fraction", summary.get("fraction"));
            written.put(run.getKey(), m);
            LOG.info(String.format(Locale.ROOT, "evaluate: submission %s: %d of %d uids", run.getKey(), (Long) summary.get("selected"),
                    poolSize));
        }
        return written;
    }

    /** Every pool row needs a label below {@code classes} to train with labels. */
    private static void requireLabels(IndexedPool pool, int classes) {
        if (!pool.fullyLabeled()) {
            throw new IllegalArgumentException("features table " + pool.source() + " uid "
                    + pool.firstUid(col("label").isNull()).orElseThrow() + ": field 'label' is null; every pool row needs a"
                    + " class (or use --model CLIP)");
        }
        if (pool.maxLabel() >= classes) {
            throw new IllegalArgumentException("features table " + pool.source() + " uid "
                    + pool.firstUid(col("label").geq(classes)).orElseThrow() + ": field 'label' = " + pool.maxLabel()
                    + " invalid; must be in [0, " + classes + ")");
        }
    }

    /**
     * Runs a baseline's selection into {@code dir} with {@code select --method}'s distributed scoring (nothing of
     * pool size on the driver), training any reference model with evaluate's own routine and class count.
     */
    private static void baseline(SparkSession spark, EvaluateParams params, Method method, double budget, int classes,
            String dir) {
        BaselineSelectJob.run(spark, SelectParams.builder(params.pool(), params.target(), dir)
                .training(params.training()).knobs(params.knobs()).classes(classes).seed(params.seed())
                .keepFraction(budget).build(), method);
    }

    private static void deleteWork(String work, Configuration hadoop) {
        Path p = new Path(work);
        try {
            p.getFileSystem(hadoop).delete(p, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + p, e);
        }
    }

    /**
     * Runs an MGD method's selection into {@code dir}, training its replicas with evaluate's own routine: the
     * same options, smoothing knobs and class count as every other method and the downstream model.
     */
    private static void mgd(SparkSession spark, EvaluateParams params, Method method, double budget, int classes,
            String dir) {
        SelectJob.run(spark, SelectParams.builder(params.pool(), params.target(), dir)
                .training(params.training()).knobs(params.knobs())
                .prompts(params.mgd().zeroShotTarget() ? params.prompts() : null)
                .classes(params.training().pairsFeaturesWithTargets() ? 0 : classes).update(method.updateRule().orElseThrow())
                .pruneFraction(params.mgd().pruneFraction()).mgdSteps(params.mgd().steps())
                .replicas(params.mgd().replicas()).stepSize(params.mgd().stepSize())
                .maskProbability(params.mgd().maskProbability()).seed(params.seed()).keepFraction(budget).build());
    }

    /** Where a method's selection at a budget is kept: {@code runs/<method>-<budget>} in the output. */
    private static String runDir(String output, Method method, double budget) {
        return new Path(output, "runs/" + EvaluateParams.runName(method, budget)).toString();
    }

    /** The rows of {@code selections} (all data first) from their downstream outcomes. */
    static List<Row> summarize(List<Selected> selections, List<Downstream.Outcome> outcomes, Chance chance) {
        double[][] accuracy = new double[selections.size()][];
        double[][] balanced = new double[selections.size()][];
        int[] diverged = new int[selections.size()];
        int[] atChance = new int[selections.size()];
        for (int s = 0; s < selections.size(); s++) {
            List<ClassificationScores> kept = new ArrayList<>();
            for (Downstream.Trial t : outcomes.get(s).trials()) {
                if (t.diverged() != null) {
                    diverged[s]++;
                    LOG.warn("evaluate: {} at budget {} downstream seed {}: {}; left out of the means",
                            selections.get(s).name(), selections.get(s).budget(), t.seed(), t.diverged());
                } else if (t.scores() != null && chance.at(t.scores().balancedAccuracy())) {
                    atChance[s]++;
                    LOG.warn("evaluate: {} at budget {} downstream seed {}: balanced accuracy {} is at chance; left out of"
                            + " the means", selections.get(s).name(), selections.get(s).budget(), t.seed(),
                            t.scores().balancedAccuracy());
                } else if (t.scores() != null) {
                    kept.add(t.scores());
                }
            }
            accuracy[s] = kept.stream().mapToDouble(ClassificationScores::accuracy).toArray();
            balanced[s] = kept.stream().mapToDouble(ClassificationScores::balancedAccuracy).toArray();
        }
        double reference = mean(accuracy[0]);
        double balancedReference = mean(balanced[0]);
        List<Row> rows = new ArrayList<>();
        for (int s = 0; s < selections.size(); s++) {
            Selected sel = selections.get(s);
            Downstream.Plan plan = outcomes.get(s).plan();
            double m = mean(accuracy[s]);
            double b = mean(balanced[s]);
            rows.add(new Row(sel.name(), sel.budget(), (int) plan.keptItems(), m, std(accuracy[s]), m - reference, sel.seconds(),
                    accuracy[s], b, std(balanced[s]), b - balancedReference, balanced[s], diverged[s], atChance[s] > 0,
                    atChance[s], plan.copies(), plan.steps(), plan.batchSize(), plan.tooSmall()));
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
        StringBuilder b = new StringBuilder("| method | budget | kept | total weight | steps × batch | test accuracy (mean ± std)"
                + " | gain over all-data | balanced accuracy (mean ± std) | balanced gain | select seconds | flags |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|\n");
        boolean flagged = false;
        for (Row row : r.rows()) {
            List<String> flags = new ArrayList<>();
            int ran = row.perSeed().length + row.divergedSeeds() + row.chanceSeeds();
            if (row.divergedSeeds() > 0) {
                flags.add("diverged in " + row.divergedSeeds() + " of " + ran + " seeds");
            }
            if (row.chanceSeeds() > 0) {
                flags.add("at chance in " + row.chanceSeeds() + " of " + ran + " seeds");
            }
            if (row.note() != null) {
                flags.add(row.note());
            }
            flagged |= !flags.isEmpty();
            b.append(String.format(Locale.ROOT, "| %s | %.0f%% | %d | %d | %d × %d | %.4f ± %.4f | %+.4f | %.4f ± %.4f | %+.4f"
                    + " | %.1f | %s |%n", row.method(), 100 * row.budget(), row.kept(), row.totalWeight(), row.trainSteps(),
                    row.batchSize(), row.mean(), row.std(), row.gain(), row.balancedMean(), row.balancedStd(),
                    row.balancedGain(), row.seconds(), String.join("; ", flags)));
        }
        b.append("\nEvery selection trains with the same routine, the same steps of the same batch at its budget, its counts"
                + " as multiplicities (total weight: the sum of its counts); \"<method>" + EACH_ONCE + "\" trains on the"
                + " same items once each. Downstream seeds are disjoint from every seed a method trained with.\n");
        b.append(oracleShares(r));
        if (flagged) {
            b.append("\nFlags: diverged and at-chance seeds are left out of the means; \"at chance\" means the balanced accuracy"
                    + " is within guessing range (1 / classes plus a margin for the test set's size): that model learned"
                    + " nothing.\n");
        }
        return b.toString();
    }

    /**
     * With an oracle row, each method's gain as a share of the oracle's at the same budget (a table; "n/a" where the
     * oracle gained nothing); else nothing.
     */
    static String oracleShares(Result r) {
        List<Row> oracles = r.rows().stream().filter(row -> row.method().equals(OracleSelection.NAME)).toList();
        if (oracles.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("\nGain over all-data as a share of the oracle's (the items known to be good first)"
                + " at the same budget:\n\n| method |");
        oracles.forEach(o -> b.append(String.format(Locale.ROOT, " %.0f%% |", 100 * o.budget())));
        b.append("\n|---|").append("---|".repeat(oracles.size())).append('\n');
        Set<String> methods = new LinkedHashSet<>();
        r.rows().stream().map(Row::method)
                .filter(m -> !m.equals(OracleSelection.NAME) && !m.equals(Method.ALL_DATA.cliName())).forEach(methods::add);
        for (String m : methods) {
            b.append("| ").append(m).append(" |");
            for (Row o : oracles) {
                Row row = r.rows().stream().filter(x -> x.method().equals(m) && x.budget() == o.budget()).findFirst().orElse(null);
                b.append(row == null || !(o.gain() > 0) || Double.isNaN(row.gain()) ? " n/a |"
                        : String.format(Locale.ROOT, " %.0f%% |", 100 * row.gain() / o.gain()));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** What {@code mgd evaluate} prints: the {@link #markdown} table and the output files. */
    public static String summary(Result r) {
        return markdown(r) + "outputs: " + r.output() + "/{evaluate.json,evaluate.md,evaluate.png,evaluate-balanced.png}"
                + System.lineSeparator();
    }

    /** With {@code --submissions}, where they are (one line); else nothing. */
    public static String submissionsLine(Result r, EvaluateParams params) {
        return params.submissions() ? "submissions: " + r.output() + "/" + SUBMISSIONS + "/<name>/{" + Submission.NPY + ","
                + Submission.SUMMARY + "}" + System.lineSeparator() : "";
    }

    private static void write(String dir, Configuration hadoop, EvaluateParams params, RunSpec spec, Result r,
            Map<String, Object> submissions) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("params", params.describe());
        json.put("protocol", protocol(params, spec, r.seeds()));
        json.put("rows", r.rows());
        if (submissions != null) {
            json.put("submissions", submissions);
        }
        List<String> files = new ArrayList<>(List.of("evaluate.json", "evaluate.md", "evaluate.png", "evaluate-balanced.png",
                "report.html", "runs/"));
        if (submissions != null) {
            files.add(SUBMISSIONS + "/");
        }
        writeBytes(dir, "evaluate.json", (Json.pretty(json) + "\n").getBytes(StandardCharsets.UTF_8), hadoop);
        writeBytes(dir, "evaluate.md", markdown(r).getBytes(StandardCharsets.UTF_8), hadoop);
        writeBytes(dir, "evaluate.png", plot(params, r, "Test accuracy", Row::mean, Row::std), hadoop);
        writeBytes(dir, "evaluate-balanced.png", plot(params, r, "Balanced test accuracy", Row::balancedMean, Row::balancedStd),
                hadoop);
        TableManifest.of("evaluate", OUTPUT_SCHEMA).params(params.describe())
                .inputs(java.util.stream.Stream.of(params.pool(), params.target(), params.test(), params.prompts())
                        .filter(java.util.Objects::nonNull).toList())
                .put("files", files)
                .writeTo(dir, hadoop);
        RunReport.writeInto(dir, params.output(), hadoop);
    }

    /** How the comparison was kept fair, for the report: seeds, the one routine, the budget and weight rules. */
    private static Map<String, Object> protocol(EvaluateParams params, RunSpec spec, EvaluationSeeds seeds) {
        Map<String, Object> m = new LinkedHashMap<>(seeds.describe(params.training().seed()));
        m.put("routine", spec.describe());
        m.put("budget_rule", "round(budget * pool size), at least 1");
        m.put("weights", "counts as multiplicities in the data order; every selection at a budget trains the steps of a"
                + " run over the budget's items, in batches of the same size");
        m.put("excluded_from_means", "diverged and chance-level downstream seeds");
        return m;
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
        Set<String> methods = new LinkedHashSet<>();
        r.rows().subList(1, r.rows().size()).forEach(row -> methods.add(row.method()));
        for (String m : methods) {
            if (Arrays.stream(budgets).anyMatch(b -> r.rows().stream().noneMatch(x -> x.method().equals(m) && x.budget() == b))) {
                continue; // a --selection run has its own size, no bar per budget: it is in the tables
            }
            series.put(m, Arrays.stream(budgets).mapToObj(b -> {
                Row row = r.row(m, b);
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
            Result r = run(SparkSessions.getOrCreate("metagrad-evaluate"), params);
            System.out.print(summary(r) + submissionsLine(r, params));
        });
    }
}
