package io.metagrad.core.train;

import java.util.Locale;

/**
 * A training run, or a metagradient through one, that went off the rails: non-finite losses,
 * parameters or metagradients, or a loss far above where training started. Carries what the
 * knobs were, so that a command line can say which one to turn (its own flag names).
 */
public final class TrainingDiverged extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What was found. */
    public enum Reason {
        NON_FINITE_PARAMETERS, NON_FINITE_LOSS, LOSS_ABOVE_BOUND, NON_FINITE_OUTPUT, NON_FINITE_METAGRADIENT,
        METAGRADIENT_ABOVE_BOUND
    }

    private final Reason reason;
    private final int step;
    private final double learningRate;
    private final double gradClipNorm;
    private final int batchSize;

    /**
     * @param step the training step it happened at (-1 when it concerns a whole run's metagradient)
     * @param learningRate the step's learning rate (or the run's peak rate)
     */
    public TrainingDiverged(Reason reason, String what, int step, double learningRate, double gradClipNorm, int batchSize) {
        super(what);
        this.reason = reason;
        this.step = step;
        this.learningRate = learningRate;
        this.gradClipNorm = gradClipNorm;
        this.batchSize = batchSize;
    }

    public Reason reason() { return reason; }
    public int step() { return step; }
    public double learningRate() { return learningRate; }
    public double gradClipNorm() { return gradClipNorm; }
    public int batchSize() { return batchSize; }

    /** The knobs in the config's own terms, as a core caller would set them. */
    public String knobs() {
        return String.format(Locale.ROOT, "train.lr = %s, train.gradClipNorm = %s, train.batchSize = %d",
                number(learningRate), gradClipNorm > 0 ? number(gradClipNorm) : "0 (off)", batchSize);
    }

    @Override
    public String getMessage() {
        return super.getMessage() + " (" + knobs() + ")";
    }

    /** The message without the knobs. */
    public String finding() {
        return super.getMessage();
    }

    static String number(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
