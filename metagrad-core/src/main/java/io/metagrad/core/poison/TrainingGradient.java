package io.metagrad.core.poison;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.model.Model;
import io.metagrad.core.tensor.Engines;
import io.metagrad.core.tensor.GradMode;
import io.metagrad.core.tensor.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code Σ_i ∇θ ℓ_i(θ)} over a data set at fixed parameters, from the model's hand-written gradient,
 * in chunks so that a large data set never sits in one tensor.
 */
public final class TrainingGradient {

    private static final int CHUNK = 1024;

    private TrainingGradient() {}

    /** The summed per-example loss gradient, one array per parameter (the model's order). */
    public static List<double[]> sum(TrainConfig config, List<double[]> params, TrainingData data) {
        Model model = config.model().build();
        List<double[]> total = new ArrayList<>();
        for (Shape s : model.parameterShapes()) {
            total.add(new double[Math.toIntExact(s.size())]);
        }
        try (NDManager m = Engines.newManager(); GradMode off = GradMode.off()) {
            List<NDArray> p = Parameters.tensors(m, model, params, config.precision());
            for (int start = 0; start < data.size(); start += CHUNK) {
                int end = Math.min(data.size(), start + CHUNK);
                int[] rows = new int[end - start];
                for (int r = 0; r < rows.length; r++) {
                    rows[r] = start + r;
                }
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray x = Tensors.of(m, data.featureRows(rows), new Shape(rows.length, data.inputDim()), config.precision());
                    NDArray y = Tensors.of(m, data.targetRows(rows), new Shape(rows.length, data.targetDim()), config.precision());
                    double[] ones = new double[rows.length];
                    Arrays.fill(ones, rows.length); // w = B undoes the gradient's 1/B: a sum, not a mean
                    NDArray w = Tensors.of(m, ones, new Shape(rows.length), config.precision());
                    List<NDArray> g = model.gradient(p, x, y, w);
                    for (int j = 0; j < g.size(); j++) {
                        double[] part = Tensors.toDoubles(g.get(j));
                        double[] into = total.get(j);
                        for (int i = 0; i < part.length; i++) {
                            into[i] += part[i];
                        }
                    }
                }
            }
        }
        return total;
    }

    /** The mean per-example loss gradient. */
    public static List<double[]> mean(TrainConfig config, List<double[]> params, TrainingData data) {
        List<double[]> g = sum(config, params, data);
        for (double[] a : g) {
            for (int i = 0; i < a.length; i++) {
                a[i] /= data.size();
            }
        }
        return g;
    }
}
