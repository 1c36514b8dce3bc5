package io.metagrad.spark.train;

import io.metagrad.core.config.OptimizerSpec;
import io.metagrad.core.config.Schedule;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.model.ModelSpec;
import io.metagrad.core.tensor.Precision;
import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How the jobs that train models (select, and later attribute and evaluate) train one: the model on
 * top of the feature vectors, the optimizer, the learning-rate schedule and the run length. Shared
 * so that every command spells these options the same way ({@link TrainingFlags}).
 *
 * @param model model on the features; default {@link ModelKind#LOGISTIC}
 * @param hidden hidden widths of the MLP (ignored otherwise); default {@code [64]}
 * @param projectionDim shared embedding width of the CLIP head (ignored otherwise); default 64
 * @param lr peak learning rate; default 0.1
 * @param schedule learning-rate shape after warmup; default {@link ScheduleKind#COSINE}
 * @param warmupSteps linear warmup steps (COSINE and LINEAR only); default 0
 * @param momentum SGD momentum {@code μ ∈ [0, 1)}; default 0.9
 * @param weightDecay coupled weight decay {@code λ ≥ 0}; default 0
 * @param batchSize examples per step; default 64
 * @param steps training steps {@code T}; default 200 (ignored when {@code epochs} is set)
 * @param seed base training seed (initial parameters and batch order); default 0
 * @param precision float32 (default) or float64
 * @param epochs passes over the training set instead of a fixed step count: {@code T = epochs·⌊n/B⌋} for a
 *     training set of {@code n} items, so a run on a smaller selection takes fewer steps; default 0 = use {@code steps}
 * @param maxLossRatio a training run whose batch loss exceeds this multiple of its initial loss has diverged and stops
 *     the job; 0 stops only non-finite runs; default {@value TrainConfig#DEFAULT_MAX_LOSS_RATIO}. A guard, not a
 *     training setting: it never changes a result, so it is not in {@link #describe()}
 */
public record TrainingOptions(
        ModelKind model,
        int[] hidden,
        int projectionDim,
        double lr,
        ScheduleKind schedule,
        int warmupSteps,
        double momentum,
        double weightDecay,
        int batchSize,
        int steps,
        long seed,
        Precision precision,
        int epochs,
        double maxLossRatio) implements Serializable {

    /** The model trained on the feature vectors. */
    public enum ModelKind {
        /** Multinomial logistic regression on the features (labels or soft labels). */
        LOGISTIC,
        /** A tanh MLP with the {@code hidden} widths (labels or soft labels). */
        MLP,
        /**
         * A CLIP-style projection head pairing the features with the {@code target} embeddings
         * ({@code projectionDim} wide; logit scale starts at 10 and is learned).
         */
        CLIP
    }

    /** Learning-rate shape. */
    public enum ScheduleKind { CONSTANT, COSINE, LINEAR }

    public TrainingOptions {
        Objects.requireNonNull(model, "train.model is required");
        Objects.requireNonNull(schedule, "train.schedule is required");
        Objects.requireNonNull(precision, "train.precision is required");
        hidden = hidden == null ? new int[] {64} : hidden.clone();
        for (int i = 0; i < hidden.length; i++) {
            if (hidden[i] <= 0) {
                throw new IllegalArgumentException("train.hidden[" + i + "] = " + hidden[i] + " invalid; must be > 0");
            }
        }
        if (model == ModelKind.MLP && hidden.length == 0) {
            throw new IllegalArgumentException("train.hidden is empty; the MLP needs at least one hidden width");
        }
        require(projectionDim > 0, "train.projectionDim", projectionDim, "must be > 0");
        require(lr > 0 && Double.isFinite(lr), "train.lr", lr, "must be > 0");
        require(epochs >= 0, "train.epochs", epochs, "must be >= 0 (0 = use train.steps)");
        require(warmupSteps >= 0 && (epochs > 0 || warmupSteps < steps), "train.warmupSteps", warmupSteps,
                "must be in [0, train.steps)");
        require(schedule != ScheduleKind.CONSTANT || warmupSteps == 0, "train.warmupSteps", warmupSteps,
                "needs a COSINE or LINEAR schedule");
        require(momentum >= 0 && momentum < 1, "train.momentum", momentum, "must be in [0, 1)");
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "train.weightDecay", weightDecay, "must be >= 0");
        require(batchSize > 0, "train.batchSize", batchSize, "must be > 0");
        require(steps > 0, "train.steps", steps, "must be > 0");
        require(maxLossRatio >= 0 && Double.isFinite(maxLossRatio), "train.maxLossRatio", maxLossRatio, "must be >= 0");
    }

    /** Options that train a fixed number of steps ({@code epochs} = 0) with the default divergence bound. */
    public TrainingOptions(ModelKind model, int[] hidden, int projectionDim, double lr, ScheduleKind schedule, int warmupSteps,
            double momentum, double weightDecay, int batchSize, int steps, long seed, Precision precision) {
        this(model, hidden, projectionDim, lr, schedule, warmupSteps, momentum, weightDecay, batchSize, steps, seed, precision, 0,
                TrainConfig.DEFAULT_MAX_LOSS_RATIO);
    }

    /** The defaults listed above. */
    public static TrainingOptions defaults() {
        return new TrainingOptions(ModelKind.LOGISTIC, new int[] {64}, 64, 0.1, ScheduleKind.COSINE, 0, 0.9, 0, 64, 200, 0,
                Precision.FLOAT32);
    }

    /** Options of {@code epochs} passes (0: {@code steps}) with the default divergence bound. */
    public TrainingOptions(ModelKind model, int[] hidden, int projectionDim, double lr, ScheduleKind schedule, int warmupSteps,
            double momentum, double weightDecay, int batchSize, int steps, long seed, Precision precision, int epochs) {
        this(model, hidden, projectionDim, lr, schedule, warmupSteps, momentum, weightDecay, batchSize, steps, seed, precision,
                epochs, TrainConfig.DEFAULT_MAX_LOSS_RATIO);
    }

    /** These options training {@code epochs} passes over the training set (0: back to a fixed step count). */
    public TrainingOptions withEpochs(int epochs) {
        return new TrainingOptions(model, hidden, projectionDim, lr, schedule, warmupSteps, momentum, weightDecay, batchSize,
                steps, seed, precision, epochs, maxLossRatio);
    }

    /**
     * Steps of a run over {@code items} training examples in batches of {@code batch}: {@code steps},
     * or {@code epochs·⌊items/batch⌋}.
     */
    public int stepsFor(long items, int batch) {
        if (epochs == 0) {
            return steps;
        }
        long t = epochs * (items / batch);
        require(t > 0 && t <= Integer.MAX_VALUE, "train.epochs", epochs, "gives " + t + " steps over " + items
                + " items in batches of " + batch);
        require(warmupSteps < t, "train.warmupSteps", warmupSteps, "must be below the " + t + " steps of " + epochs
                + " epochs over " + items + " items");
        return (int) t;
    }

    private static void require(boolean ok, String field, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(field + " = " + value + " invalid; " + rule);
        }
    }

    /**
     * The training config for features of width {@code inputDim} and targets of width
     * {@code targetDim} (classes, or the text-embedding width for CLIP), seeded with
     * {@code seed + offset} (replica {@code r} uses offset {@code r}).
     */
    public TrainConfig config(int inputDim, int targetDim, int offset) {
        if (epochs > 0) {
            throw new IllegalStateException("train.epochs = " + epochs + " needs the training set's size; use config(…, items)");
        }
        return config(inputDim, targetDim, offset, steps);
    }

    /**
     * The training config of a run over {@code items} examples: as {@link #config(int, int, int)}, with
     * the batch shrunk to {@code items} when that is smaller and the steps of {@link #stepsFor}.
     */
    public TrainConfig config(int inputDim, int targetDim, int offset, long items) {
        int batch = (int) Math.min(batchSize, items);
        return config(inputDim, targetDim, offset, stepsFor(items, batch)).toBuilder().batchSize(batch).build();
    }

    private TrainConfig config(int inputDim, int targetDim, int offset, int runSteps) {
        return TrainConfig.builder()
                .model(modelSpec(inputDim, targetDim))
                .optimizer(new OptimizerSpec.Sgd(momentum, false, weightDecay))
                .schedule(switch (schedule) {
                    case CONSTANT -> new Schedule.Constant(lr);
                    case COSINE -> new Schedule.WarmupDecay(lr, warmupSteps, Schedule.Decay.COSINE, 0);
                    case LINEAR -> new Schedule.WarmupDecay(lr, warmupSteps, Schedule.Decay.LINEAR, 0);
                })
                .batchSize(batchSize)
                .steps(runSteps)
                .seed(seed + offset)
                .precision(precision)
                .maxLossRatio(maxLossRatio)
                .build();
    }

    private ModelSpec modelSpec(int inputDim, int targetDim) {
        return switch (model) {
            case LOGISTIC -> new ModelSpec.LogisticRegression(inputDim, targetDim);
            case MLP -> {
                int[] widths = new int[hidden.length + 2];
                widths[0] = inputDim;
                System.arraycopy(hidden, 0, widths, 1, hidden.length);
                widths[widths.length - 1] = targetDim;
                yield ModelSpec.Mlp.of(widths);
            }
            case CLIP -> new ModelSpec.ClipHead(inputDim, targetDim, projectionDim, Math.log(10), true);
        };
    }

    /** Whether the model learns from targets (text embeddings) rather than class labels. */
    public boolean pairsFeaturesWithTargets() {
        return model == ModelKind.CLIP;
    }

    /** The options as an ordered map, for manifests and fingerprints. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model.name());
        m.put("hidden", Arrays.toString(hidden));
        m.put("projection_dim", projectionDim);
        m.put("lr", lr);
        m.put("schedule", schedule.name());
        m.put("warmup_steps", warmupSteps);
        m.put("momentum", momentum);
        m.put("weight_decay", weightDecay);
        m.put("batch_size", batchSize);
        m.put("steps", epochs > 0 ? null : steps);
        m.put("epochs", epochs > 0 ? epochs : null);
        m.put("seed", seed);
        m.put("precision", precision.name());
        return m;
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainingOptions t && describe().equals(t.describe()) && maxLossRatio == t.maxLossRatio;
    }

    @Override
    public int hashCode() {
        return describe().hashCode() * 31 + Double.hashCode(maxLossRatio);
    }

    @Override
    public String toString() {
        return "TrainingOptions" + describe();
    }
}
