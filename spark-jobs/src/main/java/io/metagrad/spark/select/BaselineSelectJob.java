package io.metagrad.spark.select;

import static org.apache.spark.sql.functions.asc;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.desc;

import io.metagrad.core.selection.Budget;
import io.metagrad.spark.attribute.AttributionSetup;
import io.metagrad.spark.attribute.SelectionScores;
import io.metagrad.spark.io.AtomicOutput;
import io.metagrad.spark.report.RunReport;
import io.metagrad.spark.io.Inputs;
import io.metagrad.spark.io.OutputGuard;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.stream.IndexedPool;
import io.metagrad.spark.train.TableChecks;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * {@code mgd select --method NAME} for the scoring baselines: scores the pool once against the
 * target set and writes the same {@code selection/} table as MGD (count 1 per kept item, ranked by
 * score; {@code metagrad} null), so that every method feeds the same curate and evaluate steps. The
 * pool is scored inside Spark partitions ({@link SelectionScores}) and ranked by Spark: at any pool
 * size the driver holds the targets and a small model, never the pool.
 */
public final class BaselineSelectJob {

    /** Schema of a baseline selection directory's own {@code _metagrad.json} (it holds only {@code selection/}). */
    static final String BASELINE_RUN_SCHEMA = "baseline_run/v1";

    private BaselineSelectJob() {}

    /** Selects with {@code method}; the budget ({@code --keep} or {@code --keep-fraction}) is required. */
    public static SelectJob.Result run(SparkSession spark, SelectParams params, Method method) {
        if (method.updateRule().isPresent() || method == Method.ALL_DATA || method.isFilter(false)) {
            throw new IllegalArgumentException("select --method " + method + " is not a scoring baseline");
        }
        Budget budget = params.keep() > 0 ? Budget.ofCount((int) params.keep())
                : params.keepFraction() > 0 ? Budget.ofFraction(params.keepFraction()) : null;
        if (budget == null) {
            throw new IllegalArgumentException("select --method " + method + " needs a budget: --keep N or --keep-fraction f");
        }
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Inputs.requireTable(params.pool(), "select.pool", hadoop);
        Inputs.requireTable(params.target(), "select.target", hadoop);
        OutputGuard.requireApart("select", Map.of("--output", params.output()),
                Map.of("--pool", params.pool(), "--target", params.target()), hadoop);
        AtomicOutput out = AtomicOutput.to(params.output(), hadoop, params.overwrite());
        AttributionSetup setup = new AttributionSetup(params.pool(), params.target(), params.output(), params.training(),
                params.knobs(), params.classes(), 0, 1, 0, params.overwrite());
        try (SelectionScores scoring = SelectionScores.read(spark, setup)) {
            IndexedPool pool = scoring.pool();
            TableChecks.keepWithinPool("select", params.keep(), pool.size(), pool.source());
            if (scoring.labels()) {
                TableChecks.classesInPool("select", "--pool", pool.source(), pool.labels(), Map.of("--target", scoring.targets()));
            }
            long kept = budget.size(Math.toIntExact(pool.size()));
            try {
                Dataset<Row> scores = scoring.of(spark, method, params.seed(), out.stagingPath().toString());
                Dataset<Row> selection = ranked(spark, scores, pool, kept);
                commit(out, selection, method, Map.of("method", method.cliName(), "select", params.describe(), "command", TableManifest.commandLine()),
                        List.of(params.pool(), params.target()), hadoop,
                        () -> SelectionScores.deleteWork(out.stagingPath().toString(), hadoop));
            } catch (Exception e) { // also SparkException, a checked exception Scala throws unchecked
                out.abort();
                throw e;
            }
            return new SelectJob.Result(out.destination().toString(), 0, true, 0, List.of(), kept, pool.size(),
                    new SelectJob.Costs(0, 0, 0, 0));
        }
    }

    /**
     * Writes {@code selection} as the {@code selection/} table of the staged run {@code out}, runs
     * {@code cleanup} (scratch files the selection was computed from), writes the run's own manifest
     * and commits the run.
     */
    static void commit(AtomicOutput out, Dataset<Row> selection, Method method, Map<String, Object> described,
            List<String> inputs, Configuration hadoop, Runnable cleanup) {
        RunDirectory dir = RunDirectory.at(out.stagingPath(), hadoop);
        dir.writeSelection(selection, TableManifest.of("select:" + method.cliName(), SelectTables.id("selection")).params(described));
        cleanup.run();
        TableManifest.of("select:" + method.cliName(), BASELINE_RUN_SCHEMA).params(described).inputs(inputs)
                .writeTo(out.stagingPath(), hadoop);
        RunReport.writeInto(out.stagingPath(), out.destination().toString(), hadoop);
        out.commit();
    }

    /**
     * The {@code selection/v1} rows of the {@code keep} highest scores, ranked by Spark: score
     * descending, ties to the lower row (uid order) — the items and order {@link Budget#keep} gives in
     * memory — each with count 1 and no metagradient.
     */
    private static Dataset<Row> ranked(SparkSession spark, Dataset<Row> scores, IndexedPool pool, long keep) {
        Dataset<Row> uids = pool.rows().select(col("row").as("u_row"), col("uid"));
        JavaRDD<Row> ranked = scores.join(uids, scores.col("row").equalTo(uids.col("u_row")))
                .orderBy(desc("score"), asc("row")).select(col("uid")).javaRDD().zipWithIndex()
                .filter(p -> p._2() < keep)
                .map(p -> RowFactory.create(p._1().getString(0), 1, null, (int) (p._2() + 1)));
        return spark.createDataFrame(ranked, SelectTables.SELECTION);
    }
}
