package io.metagrad.core.model;

import io.metagrad.core.config.Checks;

/** What model to train; each spec builds its {@link Model}. Specs are immutable and validated. */
public sealed interface ModelSpec
        permits ModelSpec.LogisticRegression, ModelSpec.Mlp, ModelSpec.ClipHead {

    /** Builds the model described by this spec. */
    Model build();

    /**
     * Multinomial logistic regression {@code softmax(xW + b)}.
     *
     * @param inputDim feature width
     * @param numClasses number of classes
     */
    record LogisticRegression(int inputDim, int numClasses) implements ModelSpec {
        public LogisticRegression {
            Checks.positive("logistic.inputDim", inputDim);
            Checks.atLeast("logistic.numClasses", numClasses, 2);
        }

        @Override
        public Model build() {
            return new LogisticRegressionModel(this);
        }
    }

    /** Activation of the MLP's hidden layers. */
    enum Activation {
        TANH,
        /** The exact (erf) GELU. */
        GELU
    }

    /**
     * A multilayer perceptron.
     *
     * @param widths layer widths from input to classes, e.g. {@code [512, 256, 10]}
     * @param activation hidden activation
     * @param normalize layer-normalize pre-activations (no affine; the bias is then dropped)
     * @param logitScale multiplies the output logits (scaled-down logits are smoother)
     */
    record Mlp(int[] widths, Activation activation, boolean normalize, double logitScale)
            implements ModelSpec {
        public Mlp {
            if (widths == null || widths.length < 2) {
                throw new IllegalArgumentException(
                        "mlp.widths must list at least input and output widths, got "
                                + java.util.Arrays.toString(widths));
            }
            for (int i = 0; i < widths.length; i++) {
                Checks.positive("mlp.widths[" + i + "]", widths[i]);
            }
            Checks.atLeast("mlp.widths[last] (classes)", widths[widths.length - 1], 2);
            if (activation == null) {
                throw new IllegalArgumentException("mlp.activation must be TANH or GELU");
            }
            Checks.positiveFinite("mlp.logitScale", logitScale);
            widths = widths.clone();
        }

        /** An MLP with tanh, no normalization and logit scale 1. */
        public static Mlp of(int... widths) {
            return new Mlp(widths, Activation.TANH, false, 1.0);
        }

        @Override
        public int[] widths() {
            return widths.clone();
        }

        @Override
        public Model build() {
            return new MlpModel(this);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Mlp m
                    && java.util.Arrays.equals(widths, m.widths)
                    && activation == m.activation
                    && normalize == m.normalize
                    && Double.compare(logitScale, m.logitScale) == 0;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(
                    java.util.Arrays.hashCode(widths), activation, normalize, logitScale);
        }

        @Override
        public String toString() {
            return "Mlp[widths=" + java.util.Arrays.toString(widths) + ", activation=" + activation
                    + ", normalize=" + normalize + ", logitScale=" + logitScale + "]";
        }
    }

    /**
     * A CLIP-style dual projection head over frozen image and text embeddings: two linear
     * projections, L2-normalized, symmetric InfoNCE loss with logits {@code exp(τ)·cos}.
     *
     * @param imageDim width of the image embeddings ({@code x})
     * @param textDim width of the text embeddings ({@code y})
     * @param projectionDim shared embedding width
     * @param logTemperature initial {@code τ} (logit scale is {@code exp(τ)})
     * @param learnTemperature whether {@code τ} is a trained parameter
     */
    record ClipHead(
            int imageDim, int textDim, int projectionDim, double logTemperature, boolean learnTemperature)
            implements ModelSpec {
        public ClipHead {
            Checks.positive("clip.imageDim", imageDim);
            Checks.positive("clip.textDim", textDim);
            Checks.positive("clip.projectionDim", projectionDim);
            if (!Double.isFinite(logTemperature)) {
                throw new IllegalArgumentException("clip.logTemperature must be finite, got " + logTemperature);
            }
        }

        @Override
        public Model build() {
            return new ClipHeadModel(this);
        }
    }
}
