package io.metagrad.spark.select;

import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.meta.Metaparameter;
import io.metagrad.core.mgd.Evaluation;
import io.metagrad.core.mgd.MetagradientProblem;
import io.metagrad.core.mgd.Metagradients;
import io.metagrad.core.output.OutputFunction;
import io.metagrad.spark.train.FeatureRows;
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
        FeatureRows pool = FeatureRows.of(io.metagrad.spark.io.FeatureTables.read(spark, poolFeatures), poolFeatures);
        FeatureRows test = FeatureRows.of(io.metagrad.spark.io.FeatureTables.read(spark, testFeatures), testFeatures);
        SelectionData data = SelectionData.of(pool, test, test, training, classes);
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
        TrainingData testData = data.toData(test);
        Outcome all = train(data, data.poolData(), ones, testData, training);
        Outcome weighted = train(data, data.poolData(), weights, testData, training);
        double[] subsetOnes = new double[chosen.length];
        Arrays.fill(subsetOnes, 1);
        // Fewer rows than a batch cannot be trained on with the same settings.
        Outcome subset = chosen.length < training.batchSize() ? new Outcome(chosen.length, Double.NaN, Double.NaN)
                : train(data, data.toData(pool.subset(chosen)), subsetOnes, testData, training);
        return new Comparison(all, weighted, subset);
    }

    private static Outcome train(SelectionData data, TrainingData trainOn, double[] weights, TrainingData test,
            TrainingOptions training) {
        TrainConfig config = training.config(data.pool().width(), data.outputDim(), 0);
        MetagradientProblem problem = new MetagradientProblem(config, trainOn, new Metaparameter.DataWeights(weights),
                OutputFunction.meanLoss(test));
        List<double[]> params = Metagradients.train(problem);
        double accuracy = data.classifies() ? Evaluation.accuracy(config, params, test) : Double.NaN;
        int rows = (int) Arrays.stream(weights).filter(w -> w > 0).count();
        return new Outcome(rows, Evaluation.meanLoss(config, params, test), accuracy);
    }
}
