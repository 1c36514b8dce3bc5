package io.metagrad.spark.train;

import io.metagrad.core.data.TrainingData;
import io.metagrad.spark.io.FeatureMatrix;
import io.metagrad.spark.io.FeatureTables;
import io.metagrad.spark.io.Inputs;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * A training, a validation and a test table, read and checked on the driver before any work: each
 * present, labels valid for the classes, one feature width, a batch no larger than the training
 * rows. The jobs that train on one split, optimize on the second and only score the third (poison,
 * tune-lr) read their inputs through this.
 *
 * @param spec how the model trains on {@code train}
 */
public record Splits(FeatureRows train, FeatureRows validation, FeatureRows test, RunSpec spec) {

    /**
     * @param classes number of classes, or 0 for one more than the largest label of any split (at least 2)
     */
    public static Splits read(SparkSession spark, String train, String validation, String test, TrainingOptions options,
            SmoothingKnobs knobs, int classes) {
        var hadoop = spark.sparkContext().hadoopConfiguration();
        Inputs.requireTable(train, "--train", hadoop);
        Inputs.requireTable(validation, "--validation", hadoop);
        Inputs.requireTable(test, "--test", hadoop);
        FeatureMatrix[] m = {FeatureTables.read(spark, train), FeatureTables.read(spark, validation), FeatureTables.read(spark, test)};
        int c = classes;
        if (c == 0) {
            c = 2;
            for (FeatureMatrix x : m) {
                c = Math.max(c, x.classes());
            }
        }
        FeatureRows trainRows = FeatureRows.of(m[0], train);
        FeatureRows validationRows = FeatureRows.of(m[1], validation);
        FeatureRows testRows = FeatureRows.of(m[2], test);
        RunSpec spec = RunSpec.of(options, knobs, trainRows, c);
        for (FeatureRows rows : List.of(trainRows, validationRows, testRows)) {
            TrainingData d = spec.data(rows); // bad labels fail here, naming the table, uid and field
            if (d.inputDim() != spec.inputDim()) {
                throw new IllegalArgumentException("features table " + rows.source() + " has " + d.inputDim()
                        + " features per row but " + train + " has " + spec.inputDim());
            }
        }
        if (options.batchSize() > trainRows.size()) {
            throw new IllegalArgumentException("--batch-size " + options.batchSize() + " exceeds the " + trainRows.size()
                    + " rows of " + train);
        }
        return new Splits(trainRows, validationRows, testRows, spec);
    }

    /** The SHA-256 fingerprints of the three tables' rows, for resume checks. */
    public java.util.Map<String, String> fingerprints() {
        return new java.util.TreeMap<>(java.util.Map.of("train", train.fingerprint(), "validation", validation.fingerprint(),
                "test", test.fingerprint()));
    }
}
