package io.metagrad.core;

import io.metagrad.core.config.OptimizerSpec;
import io.metagrad.core.config.Schedule;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.meta.Metaparameter;
import io.metagrad.core.model.ModelSpec;
import io.metagrad.core.tensor.Precision;
import java.util.Random;

/** Small seeded problems for exactness tests: every model, optimizer and metaparameter kind. */
public final class SmallProblems {

    public static final int EXAMPLES = 12;
    public static final int INPUT = 4;
    public static final int CLASSES = 3;
    public static final int TEXT = 3;

    private SmallProblems() {}

    public enum ModelKind {
        LOGISTIC, MLP_TANH, MLP_GELU_NORM, CLIP_FIXED, CLIP_LEARNED;

        public boolean isClip() {
            return this == CLIP_FIXED || this == CLIP_LEARNED;
        }

        public ModelSpec spec() {
            return switch (this) {
                case LOGISTIC -> new ModelSpec.LogisticRegression(INPUT, CLASSES);
                case MLP_TANH -> ModelSpec.Mlp.of(INPUT, 5, CLASSES);
                case MLP_GELU_NORM -> new ModelSpec.Mlp(new int[] {INPUT, 5, 4, CLASSES}, ModelSpec.Activation.GELU, true, 0.7);
                case CLIP_FIXED -> new ModelSpec.ClipHead(INPUT, TEXT, 3, Math.log(5), false);
                case CLIP_LEARNED -> new ModelSpec.ClipHead(INPUT, TEXT, 3, Math.log(5), true);
            };
        }
    }

    public enum OptimizerKind {
        SGD, MOMENTUM, NESTEROV, ADAM, ADAMW;

        public OptimizerSpec spec() {
            return switch (this) {
                case SGD -> new OptimizerSpec.Sgd(0, false, 0.01);
                case MOMENTUM -> new OptimizerSpec.Sgd(0.9, false, 0);
                case NESTEROV -> new OptimizerSpec.Sgd(0.8, true, 0.02);
                case ADAM -> new OptimizerSpec.Adam(0.9, 0.99, 1e-8, 1e-6, 0.01, false);
                case ADAMW -> new OptimizerSpec.Adam(0.8, 0.95, 1e-8, 1e-6, 0.05, true);
            };
        }

        public double learningRate() {
            return this == ADAM || this == ADAMW ? 0.03 : 0.3;
        }
    }

    public enum MetaKind { WEIGHTS, POISON_FEATURES, POISON_TARGETS, LEARNING_RATES, WEIGHT_DECAY }

    public static TrainConfig config(ModelKind model, OptimizerKind optimizer, int steps, Precision precision) {
        return TrainConfig.builder()
                .model(model.spec())
                .optimizer(optimizer.spec())
                .schedule(new Schedule.WarmupDecay(optimizer.learningRate(), 2, Schedule.Decay.COSINE, 0.1))
                .batchSize(4)
                .steps(steps)
                .seed(7)
                .precision(precision)
                .build();
    }

    /** Training data: classification or image–text pairs, depending on the model. */
    public static TrainingData data(ModelKind model, long seed, int n) {
        Random r = new Random(seed);
        double[][] x = new double[n][INPUT];
        for (double[] row : x) {
            for (int j = 0; j < INPUT; j++) {
                row[j] = r.nextGaussian();
            }
        }
        if (model.isClip()) {
            double[][] y = new double[n][TEXT];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < TEXT; j++) {
                    y[i][j] = 0.8 * x[i][j] + 0.5 * r.nextGaussian();
                }
            }
            return TrainingData.ofPairs(x, y);
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (x[i][0] + 0.5 * x[i][1] > 0.3 ? 1 : 0) + (x[i][2] > 0.8 ? 1 : 0);
        }
        return TrainingData.ofLabels(x, labels, CLASSES);
    }

    public static Metaparameter metaparameter(MetaKind kind, TrainConfig config, TrainingData data) {
        return switch (kind) {
            case WEIGHTS -> {
                Random r = new Random(3);
                double[] w = new double[data.size()];
                for (int i = 0; i < w.length; i++) {
                    w[i] = 0.5 + r.nextDouble();
                }
                yield new Metaparameter.DataWeights(w);
            }
            case POISON_FEATURES -> Metaparameter.PoisonedInputs.of(data, new int[] {1, 5}, true, false);
            case POISON_TARGETS -> Metaparameter.PoisonedInputs.of(data, new int[] {2, 9}, false, true);
            case LEARNING_RATES -> Metaparameter.LearningRates.of(config);
            case WEIGHT_DECAY -> new Metaparameter.WeightDecay(0.03);
        };
    }
}
