package io.metagrad.core.output;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.metagrad.core.model.Model;
import io.metagrad.core.tensor.GradMode;
import io.metagrad.core.tensor.Precision;
import io.metagrad.core.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;

/** {@code φ_q(θ)} and {@code ∂φ_q/∂θ} for every output {@code q}, by one ordinary backward each. */
public final class OutputGradients {

    /** The values, and per output the gradient with respect to each parameter (owned by the caller's manager). */
    public record Result(double[] values, List<List<NDArray>> gradients) {}

    private OutputGradients() {}

    public static Result of(OutputFunction output, Model model, List<NDArray> params, Precision precision, NDManager into) {
        int outputs = output.count();
        List<List<NDArray>> gradients = new ArrayList<>(outputs);
        try (NDScope scope = new NDScope(); GradMode recording = GradMode.recording()) {
            scope.suppressNotUsedWarning();
            List<NDArray> leaves = new ArrayList<>(params.size());
            for (NDArray p : params) {
                leaves.add(Tensors.leaf(p));
            }
            NDArray values = output.values(model, leaves, precision);
            double[] v = Tensors.toDoubles(values);
            for (int q = 0; q < outputs; q++) {
                boolean more = q < outputs - 1;
                Tensors.backward(values.get(q), more);
                List<NDArray> gradient = new ArrayList<>(leaves.size());
                for (NDArray leaf : leaves) {
                    gradient.add(Tensors.gradient(leaf, into, more));
                    if (more) {
                        Tensors.zeroGradient(leaf);
                    }
                }
                gradients.add(gradient);
            }
            return new Result(v, gradients);
        }
    }
}
