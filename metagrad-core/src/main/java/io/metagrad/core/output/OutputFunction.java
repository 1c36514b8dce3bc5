package io.metagrad.core.output;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.model.ClipHeadModel;
import io.metagrad.core.model.Model;
import io.metagrad.core.tensor.Precision;
import io.metagrad.core.tensor.Tensors;
import java.util.List;

/**
 * {@code φ(θ_T)}: what a metagradient differentiates. An output function yields {@link #count()}
 * values at once; each gets its own metagradient, all sharing one forward training run.
 */
public sealed interface OutputFunction
        permits OutputFunction.MeanLoss,
                OutputFunction.ExampleLoss,
                OutputFunction.PerExampleLosses,
                OutputFunction.ZeroShotLoss {

    /** Number of values {@code Q}. */
    int count();

    /** The values {@code [Q]} as differentiable ops of the parameters. */
    NDArray values(Model model, List<NDArray> params, Precision precision);

    /** Mean loss over a target set. */
    static OutputFunction meanLoss(TrainingData targets) {
        return new MeanLoss(targets);
    }

    /** Loss on one target example. */
    static OutputFunction exampleLoss(TrainingData targets, int index) {
        return new ExampleLoss(targets, index);
    }

    /** One loss per target example (one metagradient per target). */
    static OutputFunction perExampleLosses(TrainingData targets) {
        return new PerExampleLosses(targets);
    }

    private static NDArray losses(Model model, List<NDArray> params, Precision precision, TrainingData data) {
        if (data.inputDim() != model.inputDim() || data.targetDim() != model.targetDim()) {
            throw new IllegalArgumentException("target set widths (" + data.inputDim() + ", " + data.targetDim()
                    + ") do not match the model (" + model.inputDim() + ", " + model.targetDim() + ")");
        }
        NDManager m = params.get(0).getManager();
        NDArray x = Tensors.of(m, data.features(), new Shape(data.size(), data.inputDim()), precision);
        NDArray y = Tensors.of(m, data.targets(), new Shape(data.size(), data.targetDim()), precision);
        return model.losses(params, x, y);
    }

    /** Mean loss on a target set. */
    record MeanLoss(TrainingData targets) implements OutputFunction {
        @Override
        public int count() {
            return 1;
        }

        @Override
        public NDArray values(Model model, List<NDArray> params, Precision precision) {
            return losses(model, params, precision, targets).mean().reshape(1);
        }
    }

    /** Loss on target example {@code index}. */
    record ExampleLoss(TrainingData targets, int index) implements OutputFunction {
        public ExampleLoss {
            if (index < 0 || index >= targets.size()) {
                throw new IllegalArgumentException("target index " + index + " outside [0, " + targets.size() + ")");
            }
        }

        @Override
        public int count() {
            return 1;
        }

        @Override
        public NDArray values(Model model, List<NDArray> params, Precision precision) {
            return losses(model, params, precision, targets.subset(new int[] {index}));
        }
    }

    /** Each target example's loss. */
    record PerExampleLosses(TrainingData targets) implements OutputFunction {
        @Override
        public int count() {
            return targets.size();
        }

        @Override
        public NDArray values(Model model, List<NDArray> params, Precision precision) {
            return losses(model, params, precision, targets);
        }
    }

    /**
     * CLIP zero-shot classification loss: image embeddings against the class prompts' text
     * embeddings through the trained head, mean cross-entropy of the true class.
     *
     * @param images {@code [n × imageDim]} row-major
     * @param prompts {@code [C × textDim]} row-major, one prompt embedding per class
     * @param labels true class of each image
     */
    record ZeroShotLoss(double[] images, double[] prompts, int[] labels, int imageDim, int textDim)
            implements OutputFunction {
        public ZeroShotLoss {
            int classes = prompts.length / textDim;
            if (images.length != labels.length * imageDim || prompts.length != classes * textDim) {
                throw new IllegalArgumentException("zero-shot images/prompts do not match their widths");
            }
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] < 0 || labels[i] >= classes) {
                    throw new IllegalArgumentException("zero-shot label[" + i + "] = " + labels[i]
                            + " invalid; must be in [0, " + classes + ")");
                }
            }
        }

        @Override
        public int count() {
            return 1;
        }

        @Override
        public NDArray values(Model model, List<NDArray> params, Precision precision) {
            if (!(model instanceof ClipHeadModel clip)) {
                throw new IllegalArgumentException("the zero-shot loss needs the CLIP head model");
            }
            NDManager m = params.get(0).getManager();
            int classes = prompts.length / textDim;
            NDArray img = Tensors.of(m, images, new Shape(labels.length, imageDim), precision);
            NDArray txt = Tensors.of(m, prompts, new Shape(classes, textDim), precision);
            NDArray logits = clip.logits(params, clip.embedImages(params, img), clip.embedTexts(params, txt));
            double[] oneHot = new double[labels.length * classes];
            for (int i = 0; i < labels.length; i++) {
                oneHot[i * classes + labels[i]] = 1;
            }
            NDArray y = Tensors.of(m, oneHot, new Shape(labels.length, classes), precision);
            return y.mul(logits.logSoftmax(1)).sum(new int[] {1}).neg().mean().reshape(1);
        }
    }
}
