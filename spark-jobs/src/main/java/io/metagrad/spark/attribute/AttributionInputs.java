package io.metagrad.spark.attribute;

import io.metagrad.core.data.TrainingData;
import io.metagrad.spark.io.FeatureMatrix;
import io.metagrad.spark.io.FeatureTables;
import io.metagrad.spark.io.Inputs;
import io.metagrad.spark.train.FeatureRows;
import io.metagrad.spark.train.RunSpec;
import io.metagrad.spark.train.SmoothingKnobs;
import io.metagrad.spark.train.TrainingOptions;
import java.io.Serializable;
import org.apache.spark.sql.SparkSession;

/**
 * The training pool and the target examples collected on the driver, checked, with the spec to
 * retrain them on executors: what {@code smoothness} trains on, and the in-memory form of the data
 * the streamed {@code attribute} and {@code validate} ({@link AttributionPool}, which never collect
 * the pool) are checked against on small pools.
 */
record AttributionInputs(FeatureRows train, FeatureRows targets, RunSpec spec) implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * @param classes number of classes, or 0 for one more than the largest label in either table
     */
    static AttributionInputs read(SparkSession spark, String trainPath, String targetPath, TrainingOptions options,
            SmoothingKnobs knobs, int classes) {
        return read(spark, trainPath, targetPath, options, knobs, classes, 0);
    }

    /** As above, keeping only the first {@code maxTargets} targets in uid order (0 = all). */
    static AttributionInputs read(SparkSession spark, String trainPath, String targetPath, TrainingOptions options,
            SmoothingKnobs knobs, int classes, int maxTargets) {
        var hadoop = spark.sparkContext().hadoopConfiguration();
        Inputs.requireTable(trainPath, "--train", hadoop);
        if (targetPath != null) {
            Inputs.requireTable(targetPath, "--targets", hadoop);
        }
        FeatureMatrix train = FeatureTables.read(spark, trainPath);
        FeatureMatrix targets = targetPath == null ? null : FeatureTables.read(spark, targetPath);
        int c = io.metagrad.spark.train.Classes.of(classes, train.classes() - 1, targets == null ? -1 : targets.classes() - 1);
        FeatureRows pool = FeatureRows.of(train, trainPath);
        RunSpec spec = RunSpec.of(options, knobs, pool, c);
        spec.data(pool); // bad labels or missing targets fail here, on the driver, not in a task
        FeatureRows probe = null;
        if (targets != null) {
            FeatureRows all = FeatureRows.of(targets, targetPath);
            TrainingData data = spec.data(all);
            if (data.inputDim() != spec.inputDim() || data.targetDim() != spec.outputDim()) {
                throw new IllegalArgumentException("target table " + targetPath + " has widths (" + data.inputDim() + ", "
                        + data.targetDim() + ") but the training table " + trainPath + " has (" + spec.inputDim() + ", "
                        + spec.outputDim() + ")");
            }
            probe = all.first(maxTargets);
        }
        if (options.batchSize() > pool.size()) {
            throw new IllegalArgumentException("--batch-size " + options.batchSize() + " exceeds the " + pool.size()
                    + " rows of " + trainPath);
        }
        return new AttributionInputs(pool, probe, spec);
    }

    /** The training config of a run over the whole training pool. */
    io.metagrad.core.config.TrainConfig config() {
        return spec.baseConfig(train.size());
    }

    /** The training pool as training data. */
    TrainingData trainData() {
        return spec.data(train);
    }

    /** The targets as training data. */
    TrainingData targetData() {
        return spec.data(targets);
    }
}
