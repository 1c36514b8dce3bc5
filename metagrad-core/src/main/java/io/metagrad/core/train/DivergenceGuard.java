package io.metagrad.core.train;

import ai.djl.ndarray.NDArray;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.model.Model;
import java.util.List;
import java.util.Locale;

/**
 * Stops a training run that diverges instead of letting it produce confident nonsense. After the
 * first steps and then every {@value #EVERY} steps (and after the last one) it checks the new
 * parameters (finite) and the batch loss under them (finite, and at most
 * {@link TrainConfig#maxLossRatio} times the loss of the initial model on the first batch).
 * Non-finite values never turn finite again in these optimizers, so checking every few steps
 * finds every run that ends non-finite, at a fraction of the cost of checking every step. Each
 * step is checked once, the first time it is computed: replays during a reverse pass are the
 * same bits and are not checked again.
 */
public final class DivergenceGuard {

    /** Check interval in steps (the first {@value #FIRST} steps are all checked). */
    static final int EVERY = 10;
    static final int FIRST = 3;

    private final Model model;
    private final TrainConfig config;
    private final int parameterCount;
    private double reference = Double.NaN;
    private int checkedUpTo = -1;

    DivergenceGuard(Model model, TrainConfig config, int parameterCount) {
        this.model = model;
        this.config = config;
        this.parameterCount = parameterCount;
    }

    /**
     * Checks step {@code t} (call inside the step's scope, without gradient recording).
     *
     * @param before the state the step started from
     * @param after the state it produced
     * @param in the step's inputs
     * @param rate the step's learning rate
     */
    void afterStep(int t, List<NDArray> before, List<NDArray> after, StepInputs in, double rate) {
        if (t <= checkedUpTo) {
            return;
        }
        checkedUpTo = t;
        if (t == 0) {
            reference = meanLoss(before, in);
        }
        if (!(t < FIRST || (t + 1) % EVERY == 0 || t == config.steps() - 1)) {
            return;
        }
        double sum = 0;
        for (NDArray p : after.subList(0, parameterCount)) {
            sum += p.sum().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
        }
        if (!Double.isFinite(sum)) {
            throw diverged(TrainingDiverged.Reason.NON_FINITE_PARAMETERS, t, rate, "the parameters after step " + (t + 1)
                    + " are not finite");
        }
        double loss = meanLoss(after, in);
        if (!Double.isFinite(loss)) {
            throw diverged(TrainingDiverged.Reason.NON_FINITE_LOSS, t, rate, "the batch loss after step " + (t + 1)
                    + " is " + loss);
        }
        if (config.maxLossRatio() <= 0) {
            return;
        }
        double bound = config.maxLossRatio() * Math.max(reference, 1.0);
        if (loss > bound) {
            throw diverged(TrainingDiverged.Reason.LOSS_ABOVE_BOUND, t, rate, String.format(Locale.ROOT,
                    "the batch loss after step %d is %s, above %s × the initial loss %s", t + 1, TrainingDiverged.number(loss),
                    TrainingDiverged.number(config.maxLossRatio()), TrainingDiverged.number(reference)));
        }
    }

    private double meanLoss(List<NDArray> state, StepInputs in) {
        return model.losses(state.subList(0, parameterCount), in.x(), in.y()).mean()
                .toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
    }

    private TrainingDiverged diverged(TrainingDiverged.Reason reason, int t, double rate, String what) {
        return new TrainingDiverged(reason, "training diverged at step " + (t + 1) + " of " + config.steps() + ": " + what, t,
                rate, config.gradClipNorm(), config.batchSize());
    }
}
