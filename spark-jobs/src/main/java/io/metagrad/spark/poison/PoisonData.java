package io.metagrad.spark.poison;

import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.meta.Metaparameter;
import io.metagrad.core.output.OutputFunction;
import io.metagrad.spark.train.FeatureRows;
import io.metagrad.spark.train.RunSpec;
import java.io.Serializable;

/**
 * What every poison task needs, broadcast once per run: the training, validation and test rows, how
 * the model trains, which training rows are poisoned and which of their parts the metaparameter
 * holds. A value {@code z} is the poisoned rows' features (row-major, if {@code features}) followed
 * by their soft labels (if {@code labels}): {@link Metaparameter.PoisonedInputs}' layout.
 */
final class PoisonData implements Serializable {

    private static final long serialVersionUID = 1L;

    private final FeatureRows train;
    private final FeatureRows validation;
    private final FeatureRows test;
    private final RunSpec spec;
    private final int[] rows;
    private final boolean features;
    private final boolean labels;
    private transient TrainingData trainData;
    private transient TrainingData validationData;
    private transient TrainingData testData;

    PoisonData(FeatureRows train, FeatureRows validation, FeatureRows test, RunSpec spec, int[] rows, boolean features,
            boolean labels) {
        this.train = train;
        this.validation = validation;
        this.test = test;
        this.spec = spec;
        this.rows = rows.clone();
        this.features = features;
        this.labels = labels;
    }

    FeatureRows train() { return train; }

    FeatureRows validation() { return validation; }

    FeatureRows test() { return test; }

    RunSpec spec() { return spec; }

    /** The poisoned rows, as indices into the (uid-sorted) training rows. */
    int[] rows() { return rows.clone(); }

    boolean optimizesFeatures() { return features; }

    boolean optimizesLabels() { return labels; }

    int classes() { return spec.outputDim(); }

    /** The training config over the training rows with the seed moved by {@code offset} (replica or evaluation seed). */
    TrainConfig config(int offset) {
        return spec.config(offset, train.size());
    }

    synchronized TrainingData trainData() {
        if (trainData == null) {
            trainData = spec.data(train);
        }
        return trainData;
    }

    synchronized TrainingData validationData() {
        if (validationData == null) {
            validationData = spec.data(validation);
        }
        return validationData;
    }

    synchronized TrainingData testData() {
        if (testData == null) {
            testData = spec.data(test);
        }
        return testData;
    }

    /** The objective's output: the mean validation loss. */
    OutputFunction validationLoss() {
        return OutputFunction.meanLoss(validationData());
    }

    /** The metaparameter at {@code z}. */
    Metaparameter.PoisonedInputs poison(double[] z) {
        return start().withValue(z);
    }

    /** The metaparameter at the rows' clean features and labels. */
    Metaparameter.PoisonedInputs start() {
        return Metaparameter.PoisonedInputs.of(trainData(), rows, features, labels);
    }

    /** The training data with the poisoned rows' features and labels replaced by {@code poison} ({@code [m × d]} and {@code [m × C]}). */
    TrainingData poisoned(double[] poisonFeatures, double[] poisonLabels) {
        return trainData().withRows(rows, poisonFeatures, poisonLabels);
    }
}
