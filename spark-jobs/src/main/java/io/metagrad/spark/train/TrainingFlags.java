package io.metagrad.spark.train;

import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.tensor.Precision;
import picocli.CommandLine.Option;

/**
 * The command-line spelling of {@link TrainingOptions}, as a picocli mixin: every command that
 * trains models declares {@code @Mixin TrainingFlags training} and calls {@link #toOptions()}.
 */
public final class TrainingFlags {

    @Option(names = "--model", defaultValue = "LOGISTIC",
            description = "Model on the features: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    TrainingOptions.ModelKind model;

    @Option(names = "--hidden", split = ",", defaultValue = "64",
            description = "MLP hidden widths, comma-separated (default: ${DEFAULT-VALUE}).")
    int[] hidden;

    @Option(names = "--projection-dim", defaultValue = "64",
            description = "CLIP head embedding width (default: ${DEFAULT-VALUE}).")
    int projectionDim;

    @Option(names = "--lr", defaultValue = "0.1", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--lr-schedule", defaultValue = "COSINE",
            description = "Learning-rate shape: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    TrainingOptions.ScheduleKind schedule;

    @Option(names = "--warmup-steps", defaultValue = "0", description = "Linear warmup steps (default: ${DEFAULT-VALUE}).")
    int warmupSteps;

    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--weight-decay", defaultValue = "0", description = "Weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--batch-size", defaultValue = "64", description = "Examples per training step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--train-steps", defaultValue = "200", description = "Training steps T (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--epochs", defaultValue = "0",
            description = "Passes over the training set instead of --train-steps: T = epochs × ⌊items / batch⌋ (default: use"
                    + " --train-steps).")
    int epochs;

    @Option(names = "--train-seed", defaultValue = "0",
            description = "Base training seed; replica r uses seed+r (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--precision", defaultValue = "FLOAT32",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Precision precision;

    @Option(names = "--max-loss-ratio", defaultValue = "" + TrainConfig.DEFAULT_MAX_LOSS_RATIO,
            description = "A training run whose batch loss exceeds this multiple of its initial loss has diverged and stops"
                    + " the job (exit 2, nothing written); 0 stops only non-finite runs (default: ${DEFAULT-VALUE}).")
    double maxLossRatio;

    /** The validated options. */
    public TrainingOptions toOptions() {
        return new TrainingOptions(model, hidden, projectionDim, lr, schedule, warmupSteps, momentum, weightDecay,
                batchSize, steps, seed, precision, epochs, maxLossRatio);
    }
}
