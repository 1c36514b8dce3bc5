package io.metagrad.spark.select;

import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.meta.Metaparameter;
import io.metagrad.core.mgd.Evaluation;
import io.metagrad.core.mgd.MetagradientProblem;
import io.metagrad.core.mgd.Metagradients;
import io.metagrad.core.output.OutputFunction;
import io.metagrad.spark.io.FeatureTables;
import io.metagrad.spark.train.FeatureRows;
import io.metagrad.spark.train.RunSpec;
import io.metagrad.spark.train.SmoothingKnobs;
import io.metagrad.spark.train.TrainingOptions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Does the selection help? Trains the same model three ways with the same seed — on the whole pool,
 * on the pool weighted by the selected MGD counts, and on the selected items once each — and
 * measures each on a test table. Runs on the driver: three plain training runs.
 */
public final class SubsetEvaluation {

    private SubsetEvaluation() {}

    /** Test loss and accuracy of one trained model (accuracy NaN when not classifying). */
    public record Outcome(int trainingRows, double testLoss, double testAccuracy) {}

    /**
     * @param all trained on every pool item (count 1)
     * @param weighted trained on the pool with the selection's counts as weights (what MGD optimized)
     * @param subset trained on the selected items only, each once
     */
    public record Comparison(Outcome all, Outcome weighted, Outcome subset) {}

    /**
     * @param classes as for select: 0 infers from the labels (pass select's value)
     */
    public static Comparison compare(SparkSession spark, String poolFeatures, String selectionPath, String testFeatures,
            TrainingOptions training, int classes) {
        FeatureRows pool = FeatureRows.of(FeatureTables.read(spark, poolFeatures), poolFeatures);
        FeatureRows test = FeatureRows.of(FeatureTables.read(spark, testFeatures), testFeatures);
        int c = classes > 0 ? classes : Math.max(2, Math.max(pool.maxLabel(), test.maxLabel()) + 1);
        RunSpec spec = RunSpec.of(training, SmoothingKnobs.defaults(), pool, c);
        Map<String, Integer> row = new HashMap<>();
        for (int i = 0; i < pool.size(); i++) {
            row.put(pool.uid(i), i);
        }
        double[] weights = new double[pool.size()];
        List<Row> selection = spark.read().schema(SelectTables.SELECTION).parquet(selectionPath).collectAsList();
        for (Row r : selection) {
            Integer i = row.get(r.getString(0));
            if (i == null) {
                throw new IllegalArgumentException("selection " + selectionPath + " has uid " + r.getString(0)
                        + ", which is not in " + poolFeatures);
            }
            weights[i] = r.getInt(1);
        }
        int[] chosen = java.util.stream.IntStream.range(0, pool.size()).filter(i -> weights[i] > 0).toArray();
        double[] ones = new double[pool.size()];
        Arrays.fill(ones, 1);
        TrainingData poolData = spec.data(pool);
        TrainingData testData = spec.data(test);
        boolean classifies = !training.pairsFeaturesWithTargets();
        Outcome all = train(spec, poolData, ones, testData, classifies);
        Outcome weighted = train(spec, poolData, weights, testData, classifies);
        double[] subsetOnes = new double[chosen.length];
        Arrays.fill(subsetOnes, 1);
        // Fewer rows than a batch cannot be trained on with the same settings.
        Outcome subset = chosen.length < training.batchSize() ? new Outcome(chosen.length, Double.NaN, Double.NaN)
                : train(spec, spec.data(pool.subset(chosen)), subsetOnes, testData, classifies);
        return new Comparison(all, weighted, subset);
    }

    private static Outcome train(RunSpec spec, TrainingData trainOn, double[] weights, TrainingData test, boolean classifies) {
        TrainConfig config = spec.config(trainOn.size());
        MetagradientProblem problem = new MetagradientProblem(config, trainOn, new Metaparameter.DataWeights(weights),
                OutputFunction.meanLoss(test));
        List<double[]> params = Metagradients.train(problem);
        double accuracy = classifies ? Evaluation.accuracy(config, params, test) : Double.NaN;
        int rows = (int) Arrays.stream(weights).filter(w -> w > 0).count();
        return new Outcome(rows, Evaluation.meanLoss(config, params, test), accuracy);
    }
}
