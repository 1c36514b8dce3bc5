package io.metagrad.core.meta;

import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;

/**
 * The values a run reads that a metaparameter may replace: the examples, their weights, the
 * learning rate of every step and the weight decay.
 *
 * @param decayed whether the run applies weight decay at all (true when it is a metaparameter,
 *     even at 0, so that its metagradient exists)
 */
public record RunInputs(
        TrainingData data, double[] exampleWeights, double[] learningRates, double weightDecay, boolean decayed) {

    /** The run as configured: every weight 1, the schedule's rates, the optimizer's decay. */
    public static RunInputs of(TrainConfig config, TrainingData data) {
        double[] ones = new double[data.size()];
        java.util.Arrays.fill(ones, 1.0);
        double wd = config.optimizer().weightDecay();
        return new RunInputs(data, ones, config.schedule().rates(config.steps()), wd, wd != 0);
    }
}
