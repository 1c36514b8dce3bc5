package io.metagrad.spark.tune;

import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.meta.Metaparameter;
import io.metagrad.core.mgd.Evaluation;
import io.metagrad.core.mgd.MetagradientProblem;
import io.metagrad.core.mgd.Metagradients;
import io.metagrad.core.output.OutputFunction;
import io.metagrad.core.train.TrainingDiverged;
import io.metagrad.spark.train.FeatureRows;
import io.metagrad.spark.train.RunSpec;
import java.io.Serializable;
import java.util.List;

/**
 * What every tune-lr task needs, broadcast once: the three splits and how the model trains. A
 * schedule is trained as a {@link Metaparameter.LearningRates} (plus {@link Metaparameter.WeightDecay}
 * when the decay is tuned) on top of the configured run, which fixes everything else.
 */
final class TuneData implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * One trained model's scores (accuracy NaN unless classifying).
     *
     * @param diverged why training diverged (then every score is NaN), or null
     */
    record Scores(double validationLoss, double testLoss, double testAccuracy, double seconds, String diverged)
            implements Serializable {}

    private final FeatureRows train;
    private final FeatureRows validation;
    private final FeatureRows test;
    private final RunSpec spec;
    private transient TrainingData trainData;
    private transient TrainingData validationData;
    private transient TrainingData testData;

    TuneData(FeatureRows train, FeatureRows validation, FeatureRows test, RunSpec spec) {
        this.train = train;
        this.validation = validation;
        this.test = test;
        this.spec = spec;
    }

    RunSpec spec() {
        return spec;
    }

    /** The training config over the training rows with the seed moved by {@code offset} (search, replica or evaluation seed). */
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

    /** The run at {@code rates} (and weight decay {@code lambda}, when not null) with seed offset {@code seed}. */
    MetagradientProblem problem(double[] rates, Double lambda, int seed) {
        TrainConfig config = config(seed);
        Metaparameter.LearningRates lr = new Metaparameter.LearningRates(rates);
        Metaparameter z = lambda == null ? lr : new Metaparameter.Joint(List.of(lr, new Metaparameter.WeightDecay(lambda)));
        return new MetagradientProblem(config, trainData(), z, OutputFunction.meanLoss(validationData()));
    }

    /** Trains once at {@code rates} (and {@code lambda}) and scores the model on the validation and test rows. */
    Scores score(double[] rates, Double lambda, int seed) {
        long start = System.nanoTime();
        MetagradientProblem p = problem(rates, lambda, seed);
        List<double[]> params = Metagradients.train(p);
        TrainConfig config = p.config();
        double accuracy = spec.options().pairsFeaturesWithTargets() ? Double.NaN : Evaluation.accuracy(config, params, testData());
        return new Scores(Evaluation.meanLoss(config, params, validationData()), Evaluation.meanLoss(config, params, testData()),
                accuracy, (System.nanoTime() - start) / 1e9, null);
    }

    /**
     * As {@link #score}, for a searched schedule: one that diverges ({@link TrainingDiverged}) is a result of the
     * search — it ranks last — not a failure of the job.
     */
    Scores scoreOrDiverged(double[] rates, Double lambda, int seed) {
        long start = System.nanoTime();
        try {
            return score(rates, lambda, seed);
        } catch (TrainingDiverged d) {
            return new Scores(Double.NaN, Double.NaN, Double.NaN, (System.nanoTime() - start) / 1e9, d.finding());
        }
    }
}
