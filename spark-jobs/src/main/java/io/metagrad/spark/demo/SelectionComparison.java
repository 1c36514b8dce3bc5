package io.metagrad.spark.demo;

import io.metagrad.spark.evaluate.Downstream;
import io.metagrad.spark.evaluate.EvaluationSeeds;
import io.metagrad.spark.io.FeatureTables;
import io.metagrad.spark.stream.IndexedPool;
import io.metagrad.spark.train.Classes;
import io.metagrad.spark.train.FeatureRows;
import io.metagrad.spark.train.RunSpec;
import io.metagrad.spark.train.SmoothingKnobs;
import io.metagrad.spark.train.TrainingOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Does the demo's selection help? Trains the same model three ways through {@link Downstream} (the
 * one "train on a selection and score it" path, streamed): on the whole pool, on the selection with
 * its MGD counts as multiplicities, and on the selected items once each; with a downstream seed that
 * no MGD replica used ({@link EvaluationSeeds}), and measures each on the test table.
 */
final class SelectionComparison {

    private SelectionComparison() {}

    /** Test loss and accuracy of one trained model (accuracy NaN when not classifying or not trained). */
    record Outcome(long trainingRows, double testLoss, double testAccuracy) {}

    /**
     * @param all trained on every pool item once
     * @param withCounts trained on the selection, each item as many times as its count (what MGD chose)
     * @param subset trained on the selected items only, each once
     */
    record Comparison(Outcome all, Outcome withCounts, Outcome subset) {}

    /**
     * @param replicas the MGD replicas select ran (their seeds are not used again here)
     * @param work scratch directory for the layouts (removed before returning)
     */
    static Comparison compare(SparkSession spark, String poolFeatures, String selectionPath, String testFeatures,
            TrainingOptions training, int replicas, String work) {
        FeatureRows test = FeatureRows.of(FeatureTables.read(spark, testFeatures), testFeatures);
        try (IndexedPool pool = IndexedPool.of(spark, poolFeatures)) {
            boolean labels = !training.pairsFeaturesWithTargets();
            int classes = Classes.of(0, pool.maxLabel(), test.maxLabel());
            RunSpec spec = new RunSpec(training, SmoothingKnobs.defaults(), pool.width(), labels ? classes : pool.targetWidth());
            Dataset<Row> counts = Downstream.countsOf(spark, pool, selectionPath);
            long selected = counts.count();
            Downstream downstream = new Downstream(spark, pool, spec, labels, test, null,
                    EvaluationSeeds.of(replicas, 1).downstream(), work);
            List<Downstream.Outcome> o = downstream.run(List.of(
                    new Downstream.Selection("all data", Downstream.everyItemOnce(pool), pool.size(), true),
                    new Downstream.Selection("selection, counts as multiplicities", counts, selected, false),
                    new Downstream.Selection("selection, each once", counts.withColumn("count",
                            org.apache.spark.sql.functions.lit(1)), selected, false)));
            Path scratch = new Path(work);
            scratch.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(scratch, true);
            return new Comparison(outcome(o.get(0)), outcome(o.get(1)), outcome(o.get(2)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the scratch directory " + work, e);
        }
    }

    private static Outcome outcome(Downstream.Outcome o) {
        Downstream.Trial t = o.trials().get(0);
        return new Outcome(o.plan().keptItems(), t.testLoss(), t.scores() == null ? Double.NaN : t.scores().accuracy());
    }
}
