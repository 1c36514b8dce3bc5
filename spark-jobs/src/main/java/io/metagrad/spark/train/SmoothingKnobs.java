package io.metagrad.spark.train;

import io.metagrad.core.config.OptimizerSpec;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.model.ModelSpec;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The training knobs reported to make metagradients useful (method.md §5), on top of
 * {@link TrainingOptions}: the optimizer (SGD or Adam with {@code epsRoot}), normalization before
 * activations and the activation, a scale on the output logits, and gradient clipping. Batch size,
 * warmup and weight decay are already in {@link TrainingOptions}.
 *
 * @param optimizer SGD (momentum from {@link TrainingOptions}) or ADAM; default SGD
 * @param epsRoot Adam's epsilon inside the square root; default 1e-8
 * @param normalize layer-normalize MLP pre-activations; default false
 * @param activation MLP activation; default TANH
 * @param logitScale multiplies the MLP's output logits; default 1
 * @param gradClip global gradient-norm clip, 0 = off; default 0
 */
public record SmoothingKnobs(
        Optimizer optimizer, double epsRoot, boolean normalize, ModelSpec.Activation activation, double logitScale,
        double gradClip) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The optimizer family. */
    public enum Optimizer { SGD, ADAM }

    public SmoothingKnobs {
        if (optimizer == null || activation == null) {
            throw new IllegalArgumentException("train.optimizer and train.activation are required");
        }
        if (!(epsRoot >= 0) || !(logitScale > 0) || !(gradClip >= 0)) {
            throw new IllegalArgumentException("train knobs invalid: epsRoot = " + epsRoot + " (>= 0), logitScale = "
                    + logitScale + " (> 0), gradClip = " + gradClip + " (>= 0)");
        }
    }

    public static SmoothingKnobs defaults() {
        return new SmoothingKnobs(Optimizer.SGD, 1e-8, false, ModelSpec.Activation.TANH, 1.0, 0);
    }

    /** {@code base} with these knobs applied. */
    public TrainConfig apply(TrainConfig base, TrainingOptions options) {
        TrainConfig.Builder b = base.toBuilder().gradClipNorm(gradClip);
        if (optimizer == Optimizer.ADAM) {
            b.optimizer(new OptimizerSpec.Adam(options.momentum(), 0.999, 1e-8, epsRoot, options.weightDecay(), false));
        }
        if (base.model() instanceof ModelSpec.Mlp mlp) {
            b.model(new ModelSpec.Mlp(mlp.widths(), activation, normalize, logitScale));
        }
        return b.build();
    }

    /** The knobs as an ordered map, for manifests. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("optimizer", optimizer.name());
        m.put("eps_root", epsRoot);
        m.put("normalize", normalize);
        m.put("activation", activation.name());
        m.put("logit_scale", logitScale);
        m.put("grad_clip", gradClip);
        return m;
    }
}
