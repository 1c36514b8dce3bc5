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
import io.metagrad.spark.select.SubsetEvaluation;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
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

    private DemoJob() {}

    /**
     * What the demo found.
     *
     * @param noise per pool {@code source} kind (clean, flipped, duplicate, …): items and how many were dropped
     */
    public record Result(DemoInputs.Tables tables, SelectJob.Result select, CurateJob.Result curate,
            SubsetEvaluation.Comparison comparison, List<NoiseLine> noise, double seconds) {}

    /** Of {@code total} pool items of one {@code source} kind, {@code dropped} were left out of the selection. */
    public record NoiseLine(String source, long total, long dropped) {}

    public static Result run(SparkSession spark, DemoParams params, PrintStream out) {
        return run(spark, params, new SampleInputs(params.sample()), out);
    }

    static Result run(SparkSession spark, DemoParams params, DemoInputs inputs, PrintStream out) {
        long start = System.nanoTime();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        String work = prepareWorkDir(params, hadoop);
        out.println("metagrad demo: MGD data selection, outputs under " + work);

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
        SubsetEvaluation.Comparison comparison = SubsetEvaluation.compare(spark, tables.poolFeatures(), selected.selectionPath(),
                tables.testFeatures(), params.training(), 0);
        List<NoiseLine> noise = noise(spark, tables.pool(), selected.selectionPath());

        Result result = new Result(tables, selected, curated, comparison, noise, (System.nanoTime() - start) / 1e9);
        report(result, out);
        return result;
    }

    private static String prepareWorkDir(DemoParams params, Configuration hadoop) {
        try {
            Path p = new Path(params.workDir());
            FileSystem fs = p.getFileSystem(hadoop);
            Path qualified = fs.makeQualified(p);
            if (fs.exists(qualified)) {
                if (!params.overwrite()) {
                    throw new IllegalArgumentException("demo work directory " + qualified + " exists; pass --overwrite to replace it");
                }
                fs.delete(qualified, true);
            }
            fs.mkdirs(qualified);
            return qualified.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + params.workDir(), e);
        }
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
        SubsetEvaluation.Comparison c = r.comparison();
        out.println(String.format(Locale.ROOT, "  test accuracy: all data %s (loss %s); selected, MGD counts as weights %s (loss %s);"
                + " selected items once each %s (loss %s)", pct(c.all().testAccuracy()), num(c.all().testLoss()),
                pct(c.weighted().testAccuracy()), num(c.weighted().testLoss()), pct(c.subset().testAccuracy()),
                num(c.subset().testLoss())));
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
