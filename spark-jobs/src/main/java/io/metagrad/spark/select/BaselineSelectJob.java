package io.metagrad.spark.select;

import io.metagrad.core.selection.Budget;
import io.metagrad.spark.io.FeatureMatrix;
import io.metagrad.spark.io.FeatureTables;
import io.metagrad.spark.io.AtomicOutput;
import io.metagrad.spark.io.Inputs;
import io.metagrad.spark.io.OutputGuard;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.train.FeatureRows;
import io.metagrad.spark.train.RunSpec;
import io.metagrad.spark.train.TableChecks;
import io.metagrad.spark.train.SmoothingKnobs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * {@code mgd select --method NAME} for the scoring baselines: scores the pool once against the
 * target set and writes the same {@code selection/} table as MGD (count 1 per kept item, ranked by
 * score; {@code metagrad} null), so that every method feeds the same curate and evaluate steps.
 */
public final class BaselineSelectJob {

    /** Schema of a baseline selection directory's own {@code _metagrad.json} (it holds only {@code selection/}). */
    static final String BASELINE_RUN_SCHEMA = "baseline_run/v1";

    private BaselineSelectJob() {}

    /** Selects with {@code method}; the budget ({@code --keep} or {@code --keep-fraction}) is required. */
    public static SelectJob.Result run(SparkSession spark, SelectParams params, Method method) {
        if (method.updateRule().isPresent() || method == Method.ALL_DATA) {
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
        FeatureMatrix poolMatrix = FeatureTables.read(spark, params.pool());
        FeatureMatrix targetMatrix = FeatureTables.read(spark, params.target());
        int classes = params.classes() > 0 ? params.classes() : Math.max(2, Math.max(poolMatrix.classes(), targetMatrix.classes()));
        FeatureRows pool = FeatureRows.of(poolMatrix, params.pool());
        FeatureRows target = FeatureRows.of(targetMatrix, params.target());
        TableChecks.keepWithinPool("select", params.keep(), pool);
        TableChecks.sameWidth("select", "--pool", pool, Map.of("--target", target));
        if (!params.training().pairsFeaturesWithTargets()) {
            TableChecks.classesInPool("select", "--pool", pool, Map.of("--target", target));
        }
        RunSpec spec = RunSpec.of(params.training(), SmoothingKnobs.defaults(), pool, classes);
        double[] scores = BaselineSelection.scores(method, spec, pool, target, params.seed());
        Integer[] kept = Arrays.stream(budget.keep(scores)).boxed().toArray(Integer[]::new);
        Arrays.sort(kept, Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparing(pool::uid));
        List<Row> rows = new ArrayList<>(kept.length);
        for (int r = 0; r < kept.length; r++) {
            rows.add(RowFactory.create(pool.uid(kept[r]), 1, null, r + 1));
        }
        try {
            RunDirectory dir = RunDirectory.at(out.stagingPath(), hadoop);
            Map<String, Object> described = Map.of("method", method.cliName(), "select", params.describe());
            dir.writeSelection(spark.createDataFrame(rows, SelectTables.SELECTION), TableManifest.of("select:" + method.cliName(), SelectTables.id("selection"))
                    .params(described));
            TableManifest.of("select:" + method.cliName(), BASELINE_RUN_SCHEMA).params(described)
                    .inputs(List.of(params.pool(), params.target())).writeTo(out.stagingPath(), hadoop);
            out.commit();
        } catch (Exception e) { // also SparkException, a checked exception Scala throws unchecked
            out.abort();
            throw e;
        }
        return new SelectJob.Result(out.destination().toString(), 0, true, 0, List.of(), rows.size(), pool.size(),
                new SelectJob.Costs(0, 0, 0, 0));
    }
}
