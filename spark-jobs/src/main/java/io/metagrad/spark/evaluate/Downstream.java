package io.metagrad.spark.evaluate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.mgd.ClassificationScores;
import io.metagrad.core.mgd.Evaluation;
import io.metagrad.core.mgd.Metagradients;
import io.metagrad.core.train.TrainingDiverged;
import io.metagrad.spark.select.SelectTables;
import io.metagrad.spark.stream.IndexedPool;
import io.metagrad.spark.stream.Layout;
import io.metagrad.spark.stream.LayoutBatches;
import io.metagrad.spark.stream.SelectionLayout;
import io.metagrad.spark.train.FeatureRows;
import io.metagrad.spark.train.RunSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * "Train on a selection and score it", the one way the jobs do it ({@code evaluate} for every method
 * and the all-data reference, the demo's comparison), at any pool size. A selection's counts are
 * multiplicities in the data order: each kept item appears {@code count} times, every copy an example
 * of weight 1 ({@link SelectionLayout}), so every method trains on batches of the same size at the
 * same weight and a method cannot win by handing out more gradient mass. Every selection at one
 * budget trains the same number of steps: those of a run over the budget's item count
 * ({@link RunSpec#config(int, long)} of {@code budgetItems}), the same routine and knobs for all.
 *
 * <p>Each selection is laid out once by Spark for all downstream seeds; then one stage trains every
 * (selection, seed) pair, one task each, streaming its batches from the layout and scoring the model
 * on the test split (small by nature, broadcast). The driver holds a few numbers per training; no
 * JVM holds the pool.
 */
public final class Downstream {

    private static final Logger LOG = LoggerFactory.getLogger(Downstream.class);

    /**
     * A selection to train on.
     *
     * @param name what the reports call it
     * @param counts pool rows (the columns of {@link IndexedPool#SCHEMA}) with an integer {@code count}; rows with
     *     count 0 are left out
     * @param budgetItems the budget's item count, which fixes the run's length (the pool size for all data)
     * @param reference whether a diverged training of this selection stops the job (the all-data reference every
     *     gain is measured against) rather than being left out of the means
     */
    public record Selection(String name, Dataset<Row> counts, long budgetItems, boolean reference) {}

    /**
     * How a selection was trained.
     *
     * @param copies examples of one pass: the sum of its counts (its total weight)
     * @param keptItems distinct pool items with a positive count
     * @param steps training steps of every seed
     * @param batchSize examples per step
     * @param tooSmall why it was not trained (fewer examples than a batch), else null
     */
    public record Plan(long copies, long keptItems, int steps, int batchSize, String tooSmall) implements Serializable {}

    /**
     * One downstream training.
     *
     * @param scores test accuracy and balanced accuracy (zero-shot for the CLIP head with prompts); null when it
     *     diverged, was not run, or the model does not classify
     * @param testLoss the model's mean loss on the test split (NaN for the CLIP head with prompts)
     * @param diverged why training diverged, else null
     */
    public record Trial(int seed, ClassificationScores scores, double testLoss, String diverged) implements Serializable {}

    /** A selection's plan and its trainings, seed order. */
    public record Outcome(Plan plan, List<Trial> trials) {}

    /** What every task needs, broadcast once: the spec, the test split, the layouts. */
    private record Shared(RunSpec spec, boolean labels, FeatureRows test, double[] prompts, List<Layout> layouts,
            List<String> dirs, List<Long> budgets, List<Boolean> references, SerializableConfiguration hadoop)
            implements Serializable {}

    private final SparkSession spark;
    private final IndexedPool pool;
    private final RunSpec spec;
    private final boolean labels;
    private final FeatureRows test;
    private final double[] prompts;
    private final List<Integer> seedOffsets;
    private final String workDir;

    /**
     * @param labels whether pool rows train with their labels (one-hot) rather than their target vectors
     * @param prompts CLIP head: the class-prompt embeddings the test is scored against (zero-shot); else null
     * @param seedOffsets the downstream seeds, as offsets of the training seed ({@link EvaluationSeeds})
     * @param workDir where the selections' layouts are written (scratch, the caller's to remove)
     */
    public Downstream(SparkSession spark, IndexedPool pool, RunSpec spec, boolean labels, FeatureRows test, double[] prompts,
            List<Integer> seedOffsets, String workDir) {
        this.spark = spark;
        this.pool = pool;
        this.spec = spec;
        this.labels = labels;
        this.test = test;
        this.prompts = prompts;
        this.seedOffsets = List.copyOf(seedOffsets);
        this.workDir = workDir;
    }

    /** The pool rows a {@code selection/v1} table keeps, with their counts: a {@link Selection}'s counts, joined by Spark. */
    public static Dataset<Row> countsOf(SparkSession spark, IndexedPool pool, String selection) {
        Dataset<Row> s = spark.read().schema(SelectTables.SELECTION).parquet(selection)
                .select(col("uid").as("selected_uid"), col("count"));
        Dataset<Row> rows = pool.rows();
        List<Column> columns = new ArrayList<>(Arrays.asList(IndexedPool.columns()));
        columns.add(col("count"));
        return rows.join(s, rows.col("uid").equalTo(s.col("selected_uid"))).select(columns.toArray(Column[]::new));
    }

    /** Every pool row once: the all-data selection's counts. */
    public static Dataset<Row> everyItemOnce(IndexedPool pool) {
        return pool.rows().withColumn("count", lit(1));
    }

    /** The plan of training on {@code copies} examples (of {@code keptItems} items) at a budget of {@code budgetItems}. */
    Plan plan(long copies, long keptItems, long budgetItems) {
        TrainConfig c = spec.config(0, budgetItems);
        String tooSmall = copies < c.batchSize() ? "the selection has " + copies + " examples, fewer than a batch of "
                + c.batchSize() : null;
        return new Plan(copies, keptItems, c.steps(), c.batchSize(), tooSmall);
    }

    /** Trains on every selection with every seed; outcomes in the order of {@code selections}. */
    public List<Outcome> run(List<Selection> selections) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        List<Plan> plans = new ArrayList<>();
        List<Layout> layouts = new ArrayList<>();
        List<String> dirs = new ArrayList<>();
        for (int s = 0; s < selections.size(); s++) {
            Selection sel = selections.get(s);
            Row total = sel.counts().where(col("count").gt(0)).agg(sum(col("count").cast("long")), count(lit(1))).first();
            long copies = total.isNullAt(0) ? 0 : total.getLong(0);
            Plan plan = plan(copies, total.getLong(1), sel.budgetItems());
            plans.add(plan);
            if (plan.tooSmall() != null) {
                LOG.warn("{}: {}; not trained", sel.name(), plan.tooSmall());
                layouts.add(null);
                dirs.add(null);
                continue;
            }
            if ((long) plan.steps() * plan.batchSize() < copies) {
                LOG.warn("{}: {} steps of {} examples see {} of its {} examples (raise --train-steps, or use --epochs 1 or"
                        + " more)", sel.name(), plan.steps(), plan.batchSize(), (long) plan.steps() * plan.batchSize(), copies);
            }
            long perEpoch = copies / plan.batchSize();
            int epochs = (int) ((plan.steps() + perEpoch - 1) / perEpoch);
            String dir = new Path(workDir, "selection-" + s).toString();
            List<Long> seeds = seedOffsets.stream().map(o -> spec.config(o, sel.budgetItems()).seed()).toList();
            layouts.add(SelectionLayout.write(spark, pool, sel.counts(), copies, dir, seeds, epochs,
                    labels ? 0 : pool.targetWidth()));
            dirs.add(dir);
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<Shared> shared = jsc.broadcast(new Shared(spec, labels, test, prompts, layouts, dirs,
                selections.stream().map(Selection::budgetItems).toList(), selections.stream().map(Selection::reference).toList(),
                new SerializableConfiguration(hadoop)));
        List<Tuple2<Integer, Integer>> jobs = new ArrayList<>();
        for (int s = 0; s < selections.size(); s++) {
            for (int seed = 0; seed < seedOffsets.size(); seed++) {
                if (plans.get(s).tooSmall() == null) {
                    jobs.add(new Tuple2<>(s, seed));
                }
            }
        }
        List<Integer> offsets = seedOffsets;
        List<Tuple2<Tuple2<Integer, Integer>, Trial>> results = List.of();
        try {
            if (!jobs.isEmpty()) {
                spark.sparkContext().setJobDescription("downstream: " + jobs.size() + " trainings");
                results = jsc.parallelize(jobs, jobs.size())
                        .map(j -> new Tuple2<>(j, train(shared.value(), j._1(), j._2(), offsets.get(j._2()))))
                        .collect();
                spark.sparkContext().setJobDescription(null);
            }
        } finally {
            shared.destroy();
        }
        Trial[][] trials = new Trial[selections.size()][seedOffsets.size()];
        for (Tuple2<Tuple2<Integer, Integer>, Trial> r : results) {
            trials[r._1()._1()][r._1()._2()] = r._2();
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (int s = 0; s < selections.size(); s++) {
            List<Trial> row = new ArrayList<>();
            for (int seed = 0; seed < seedOffsets.size(); seed++) {
                row.add(trials[s][seed] != null ? trials[s][seed] : new Trial(seed, null, Double.NaN, null));
            }
            outcomes.add(new Outcome(plans.get(s), row));
        }
        return outcomes;
    }

    /** One training (in a task): seed {@code seed} (offset {@code offset}) on selection {@code s}'s layout, scored on the test split. */
    private static Trial train(Shared d, int s, int seed, int offset) {
        TrainConfig config = d.spec().config(offset, d.budgets().get(s));
        try (LayoutBatches batches = new LayoutBatches(d.layouts().get(s), d.dirs().get(s), config.seed(), d.hadoop().value(),
                config.batchSize(), config.steps(), null, d.labels() ? d.spec().outputDim() : 0)) {
            List<double[]> params = Metagradients.train(config, batches);
            return score(d, config, params, seed);
        } catch (TrainingDiverged e) {
            if (d.references().get(s)) {
                throw e; // all data, the reference every gain is measured against: the settings are wrong
            }
            return new Trial(seed, null, Double.NaN, e.finding());
        }
    }

    private static Trial score(Shared d, TrainConfig config, List<double[]> params, int seed) {
        FeatureRows test = d.test();
        if (d.prompts() != null) {
            int[] predicted = Evaluation.zeroShotPredictions(config, params, test.features(), d.prompts(), test.size());
            return new Trial(seed, ClassificationScores.of(predicted, test.labels()), Double.NaN, null);
        }
        var data = d.spec().data(test);
        double loss = Evaluation.meanLoss(config, params, data);
        if (!d.labels()) {
            return new Trial(seed, null, loss, null);
        }
        return new Trial(seed, ClassificationScores.of(Evaluation.predictions(config, params, data), test.labels()), loss, null);
    }
}
