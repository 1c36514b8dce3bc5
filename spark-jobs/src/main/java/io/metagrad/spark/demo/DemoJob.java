package io.metagrad.spark.demo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.metagrad.spark.curate.CurateJob;
import io.metagrad.spark.curate.CurateParams;
import io.metagrad.spark.select.SelectJob;
import io.metagrad.spark.select.SelectParams;
import io.metagrad.spark.select.StepMetrics;
import io.metagrad.spark.train.FeatureRows;
import io.metagrad.spark.evaluate.Chance;
import io.metagrad.spark.io.AtomicOutput;
import io.metagrad.spark.io.FeatureTables;
import io.metagrad.spark.io.OutputGuard;
import io.metagrad.spark.io.TableManifest;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The README's main job: prepare features, select with MGD, curate, and show what improved — target
 * loss before and after, test accuracy of training on all data versus on the selection, and which
 * kinds of noisy items the selection dropped.
 */
public final class DemoJob {

    /** Schema of the work directory's own {@code _metagrad.json}. */
    public static final String OUTPUT_SCHEMA = "demo_output/v1";

    private DemoJob() {}

    /**
     * What the demo found.
     *
     * @param noise per pool {@code source} kind (clean, flipped, duplicate, …): items and how many were dropped
     */
    public record Result(DemoInputs.Tables tables, SelectJob.Result select, CurateJob.Result curate,
            SelectionComparison.Comparison comparison, List<NoiseLine> noise, double seconds, Chance chance) {}

    /** Of {@code total} pool items of one {@code source} kind, {@code dropped} were left out of the selection. */
    public record NoiseLine(String source, long total, long dropped) {}

    public static Result run(SparkSession spark, DemoParams params, PrintStream out) {
        OutputGuard.requireApart("demo", Map.of("--work-dir", params.workDir()), Map.of("--sample", params.sample()),
                spark.sparkContext().hadoopConfiguration());
        return run(spark, params, new SampleInputs(params.sample()), out);
    }

    static Result run(SparkSession spark, DemoParams params, DemoInputs inputs, PrintStream out) {
        long start = System.nanoTime();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        // Everything is made in a staging directory and committed at the end: a killed demo leaves no half
        // work directory, and --overwrite keeps the old one until the new one is complete.
        AtomicOutput committed = AtomicOutput.to(params.workDir(), hadoop, params.overwrite());
        try {
            Result result = runIn(spark, params, inputs, committed.stagingPath(), out, start);
            TableManifest.of("demo", OUTPUT_SCHEMA).params(params).put("files", List.of("raw/", "features/", "select/", "curate/"))
                    .writeTo(committed.stagingPath(), hadoop);
            committed.commit();
            Result at = movedTo(result, committed.stagingPath(), committed.destination().toString());
            report(at, out);
            return at;
        } catch (Exception e) { // also SparkException, a checked exception Scala throws unchecked
            committed.abort();
            throw e;
        }
    }

    private static Result runIn(SparkSession spark, DemoParams params, DemoInputs inputs, String work, PrintStream out,
            long start) {
        out.println("metagrad demo: MGD data selection, outputs under " + params.workDir());

        out.println("[1/4] preparing features");
        DemoInputs.Tables tables = inputs.prepare(spark, work);
        out.println("      " + tables.description());

        out.println(String.format(Locale.ROOT, "[2/4] select: %d MGD steps, %d replicas per step", params.mgdSteps(),
                params.replicas()));
        SelectParams select = SelectParams.builder(tables.poolFeatures(), tables.targetFeatures(), work + "/select")
                .training(params.training()).mgdSteps(params.mgdSteps()).maskProbability(params.maskProbability())
                .replicas(params.replicas()).build();
        SelectJob.Result selected = SelectJob.run(spark, select, m -> out.println("      " + SelectJob.describe(m, params.mgdSteps())));

        out.println("[3/4] curate");
        CurateJob.Result curated = CurateJob.run(spark, new CurateParams(tables.pool(), selected.output(), work + "/curate", false));

        out.println("[4/4] evaluate: train on all data vs on the selection, measure on the test set");
        SelectionComparison.Comparison comparison = SelectionComparison.compare(spark, tables.poolFeatures(),
                selected.selectionPath(), tables.testFeatures(), params.training(), params.replicas(), work + "/_downstream");
        List<NoiseLine> noise = noise(spark, tables.pool(), selected.selectionPath());

        int[] testLabels = FeatureRows.of(FeatureTables.read(spark, tables.testFeatures()), tables.testFeatures()).labels();
        return new Result(tables, selected, curated, comparison, noise, (System.nanoTime() - start) / 1e9,
                Chance.ofAccuracy(testLabels));
    }

    /** Per {@code source} kind of the pool table: items and how many the selection left out. */
    static List<NoiseLine> noise(SparkSession spark, String pool, String selection) {
        Dataset<Row> items = spark.read().parquet(pool);
        if (!Arrays.asList(items.columns()).contains("source")) {
            return List.of();
        }
        Dataset<Row> kept = spark.read().parquet(selection).select(col("uid"), lit(1).as("kept"));
        List<Row> rows = items.select("uid", "source").join(kept, items.col("uid").equalTo(kept.col("uid")), "left")
                .groupBy("source")
                .agg(sum(lit(1)).as("total"), sum(when(col("kept").isNull(), 1).otherwise(0)).as("dropped"))
                .orderBy("source").collectAsList();
        List<NoiseLine> lines = new ArrayList<>();
        for (Row r : rows) {
            lines.add(new NoiseLine(r.isNullAt(0) ? "(none)" : r.getString(0), r.getLong(1), r.getLong(2)));
        }
        return lines;
    }

    /** {@code r} with its paths where they are once committed ({@code work} became {@code dest}). */
    private static Result movedTo(Result r, String work, String dest) {
        java.util.function.UnaryOperator<String> at = p -> p.startsWith(work) ? dest + p.substring(work.length()) : p;
        DemoInputs.Tables t = r.tables();
        SelectJob.Result s = r.select();
        CurateJob.Result c = r.curate();
        return new Result(new DemoInputs.Tables(at.apply(t.pool()), at.apply(t.poolFeatures()), at.apply(t.targetFeatures()),
                        at.apply(t.testFeatures()), t.description()),
                new SelectJob.Result(at.apply(s.output()), s.completedStep(), s.finished(), s.bestStep(), s.metrics(), s.selected(),
                        s.poolSize(), s.costs()),
                new CurateJob.Result(at.apply(c.output()), c.inputRows(), c.selected(), c.summary()),
                r.comparison(), r.noise(), r.seconds(), r.chance());
    }

    private static void report(Result r, PrintStream out) {
        StepMetrics before = r.select().metrics().get(0);
        StepMetrics after = r.select().metrics().get(r.select().bestStep());
        out.println();
        out.println("Outputs");
        out.println("  features:        " + new Path(r.tables().poolFeatures()).getParent());
        out.println("  select run:      " + r.select().output() + "  (metrics.jsonl, steps/, selection/)");
        out.println("  curated table:   " + r.curate().curatedPath());
        out.println("  DataComp subset: " + r.curate().npyPath());
        out.println("  summary:         " + r.curate().summaryPath());
        out.println();
        out.println("What improved");
        out.println(String.format(Locale.ROOT, "  kept %d of %d pool items (best iterate: step %d of %d)", r.select().selected(),
                r.select().poolSize(), r.select().bestStep(), r.select().metrics().size() - 1));
        out.println(String.format(Locale.ROOT, "  target loss (metagradient part): %.4f -> %.4f", before.targetLoss(), after.targetLoss()));
        out.println(String.format(Locale.ROOT, "  held-out target loss:            %.4f -> %.4f", before.heldoutLoss(), after.heldoutLoss()));
        SelectionComparison.Comparison c = r.comparison();
        out.println(String.format(Locale.ROOT, "  test accuracy: all data %s (loss %s); selected, MGD counts as multiplicities %s"
                + " (loss %s); selected items once each %s (loss %s)", pct(c.all().testAccuracy()), num(c.all().testLoss()),
                pct(c.withCounts().testAccuracy()), num(c.withCounts().testLoss()), pct(c.subset().testAccuracy()),
                num(c.subset().testLoss())));
        for (String which : new String[] {"all data", "selection"}) {
            double accuracy = which.equals("all data") ? c.all().testAccuracy() : c.withCounts().testAccuracy();
            if (r.chance().at(accuracy)) {
                out.println(String.format(Locale.ROOT, "  warning: the model trained on %s is at chance level (%s; always"
                        + " answering the most frequent class scores %s): it learned nothing, check --lr and --train-steps",
                        which, pct(accuracy), pct(r.chance().level())));
            }
        }
        for (NoiseLine n : r.noise()) {
            out.println(String.format(Locale.ROOT, "  %-10s items dropped: %5d of %5d (%.0f%%)", n.source(), n.dropped(), n.total(),
                    100.0 * n.dropped() / n.total()));
        }
        out.println(String.format(Locale.ROOT, "Done in %.0f s.", r.seconds()));
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }
}
