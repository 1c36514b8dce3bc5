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
import java.util.List;

/** Each example's loss gradient with respect to its own input, {@code ∇_x ℓ(f_θ(x_i), y_i)}, at fixed parameters. */
public final class InputGradients {

    private InputGradients() {}

    /**
     * The input gradients of every example of {@code data}, row-major {@code [n × inputDim]}, at the
     * parameters {@code params} (as returned by training). Classifiers only: their examples' losses
     * do not depend on each other, so one backward pass of the summed loss gives every row's own gradient.
     */
    public static double[] ofLosses(TrainConfig config, List<double[]> params, TrainingData data) {
        Model model = config.model().build();
        if (model instanceof ClipHeadModel) {
            throw new IllegalArgumentException("input gradients need a classifier; the CLIP head's loss couples its examples");
        }
        try (NDManager m = Engines.newManager(); NDScope scope = new NDScope(); GradMode on = GradMode.recording()) {
            scope.suppressNotUsedWarning();
            List<NDArray> p = Parameters.tensors(m, model, params, config.precision());
            NDArray x = Tensors.leaf(Tensors.of(m, data.features(), new Shape(data.size(), data.inputDim()), config.precision()));
            NDArray y = Tensors.of(m, data.targets(), new Shape(data.size(), data.targetDim()), config.precision());
            Tensors.backward(model.losses(p, x, y).sum(), false);
            return Tensors.toDoubles(x.getGradient());
        }
    }
}
