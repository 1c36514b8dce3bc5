package io.metagrad.core.poison;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.metagrad.core.model.Model;
import io.metagrad.core.tensor.Precision;
import io.metagrad.core.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;

/** Model parameters as Java arrays (the form training returns them in) and as tensors. */
final class Parameters {

    private Parameters() {}

    static List<NDArray> tensors(NDManager m, Model model, List<double[]> params, Precision precision) {
        List<Shape> shapes = model.parameterShapes();
        if (shapes.size() != params.size()) {
            throw new IllegalArgumentException("expected " + shapes.size() + " parameter arrays, got " + params.size());
        }
        List<NDArray> out = new ArrayList<>(shapes.size());
        for (int j = 0; j < shapes.size(); j++) {
            out.add(Tensors.of(m, params.get(j), shapes.get(j), precision));
        }
        return out;
    }

    /** {@code ‖θ‖₂} over all arrays. */
    static double norm(List<double[]> params) {
        double s = 0;
        for (double[] a : params) {
            for (double v : a) {
                s += v * v;
            }
        }
        return Math.sqrt(s);
    }

    /** Deep copy. */
    static List<double[]> copy(List<double[]> params) {
        List<double[]> out = new ArrayList<>(params.size());
        for (double[] a : params) {
            out.add(a.clone());
        }
        return out;
    }
}
