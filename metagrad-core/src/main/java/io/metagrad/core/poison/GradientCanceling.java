package io.metagrad.core.poison;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.model.ClipHeadModel;
import io.metagrad.core.model.Model;
import io.metagrad.core.tensor.Engines;
import io.metagrad.core.tensor.GradMode;
import io.metagrad.core.tensor.Tensors;
import java.util.Arrays;
import java.util.List;

/**
 * The gradient-canceling objective of Lu, Kamath &amp; Yu (2023): poisoned points chosen so that,
 * together with the clean data, the training gradient vanishes at a target parameter {@code θ_p}
 * — which then is a stationary point of training on the poisoned set. With {@code N} training
 * rows in all,
 * <pre>  G(x_p) = ½ ‖(1/N)(Σ_clean ∇θ ℓ_i(θ_p) + Σ_poison ∇θ ℓ(θ_p; x_p, y_p))‖₂²</pre>
 * and its gradient with respect to the poisoned features {@code x_p}: one ordinary backward pass
 * through the model's hand-written (differentiable) gradient.
 */
public final class GradientCanceling {

    /** {@code G} at the poisoned features and {@code ∂G/∂x_p}, row-major like the features. */
    public record Value(double objective, double[] gradient) {}

    private final TrainConfig config;
    private final List<double[]> target;
    private final List<double[]> cleanSum;
    private final int total;

    /**
     * @param target the target parameters {@code θ_p}
     * @param clean the rows that stay clean
     * @param poisonRows how many rows are poisoned (so that {@code N = clean + poisoned})
     */
    public GradientCanceling(TrainConfig config, List<double[]> target, TrainingData clean, int poisonRows) {
        if (config.model().build() instanceof ClipHeadModel) {
            throw new IllegalArgumentException("gradient canceling needs a classifier");
        }
        this.config = config;
        this.target = Parameters.copy(target);
        this.cleanSum = TrainingGradient.sum(config, target, clean);
        this.total = clean.size() + poisonRows;
    }

    /** {@code G} and its gradient for the poisoned rows {@code poison} (features and labels). */
    public Value at(TrainingData poison) {
        Model model = config.model().build();
        try (NDManager m = Engines.newManager(); NDScope scope = new NDScope(); GradMode on = GradMode.recording()) {
            scope.suppressNotUsedWarning();
            List<NDArray> p = Parameters.tensors(m, model, target, config.precision());
            NDArray x = Tensors.leaf(Tensors.of(m, poison.features(), new Shape(poison.size(), poison.inputDim()),
                    config.precision()));
            NDArray y = Tensors.of(m, poison.targets(), new Shape(poison.size(), poison.targetDim()), config.precision());
            double[] b = new double[poison.size()];
            Arrays.fill(b, poison.size()); // a sum over the poisoned rows
            List<NDArray> g = model.gradient(p, x, y, Tensors.of(m, b, new Shape(poison.size()), config.precision()));
            NDArray objective = null;
            for (int j = 0; j < g.size(); j++) {
                NDArray c = Tensors.of(m, cleanSum.get(j), g.get(j).getShape(), config.precision());
                NDArray mean = g.get(j).add(c).div(Tensors.scalar(m, total, config.precision()));
                NDArray term = mean.square().sum();
                objective = objective == null ? term : objective.add(term);
            }
            objective = objective.mul(Tensors.scalar(m, 0.5, config.precision()));
            double value = Tensors.toDouble(objective);
            Tensors.backward(objective, false);
            return new Value(value, Tensors.toDoubles(x.getGradient()));
        }
    }
}
