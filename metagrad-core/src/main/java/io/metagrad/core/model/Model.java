package io.metagrad.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Optional;

/**
 * A differentiable model whose first-order gradient is written by hand as ordinary DJL ops.
 *
 * <p>Why by hand: the training step {@code h_t} contains {@code ∇θ L}, and the reverse pass needs
 * the gradient of that. Reading gradients made with {@code createGraph=true} leaks native memory
 * in DJL 0.36, so {@link #gradient} builds {@code ∇θ L} from differentiable ops and the reverse
 * pass runs one ordinary backward through it (method.md §2).
 *
 * <p>Inputs: {@code x} are per-example features {@code [B, inputDim]}, {@code y} are per-example
 * targets {@code [B, targetDim]}: soft labels for classifiers, the paired text embedding for the
 * CLIP-style head.
 */
public interface Model {

    /** Shapes of the trainable parameters, in the order used everywhere else. */
    List<Shape> parameterShapes();

    /** Deterministic initial values of the parameters, row-major, drawn from {@code seed}. */
    List<double[]> initialValues(long seed);

    /** Per-example losses {@code ℓ_i}, shape {@code [B]}. */
    NDArray losses(List<NDArray> params, NDArray x, NDArray y);

    /**
     * The gradient of {@code L = (1/B) Σ_i w_i ℓ_i} with respect to each parameter, built from
     * differentiable ops so that a backward pass through it yields Hessian–vector products and
     * derivatives with respect to {@code x}, {@code y} and {@code w}.
     */
    List<NDArray> gradient(List<NDArray> params, NDArray x, NDArray y, NDArray w);

    /**
     * Class scores (logits) {@code [B, classes]} for classifiers. The CLIP head has no classes of its
     * own and throws; use the zero-shot evaluation with class prompts instead.
     */
    NDArray logits(List<NDArray> params, NDArray x);

    /**
     * The hand-written second order of this model's gradient, where it has one: then the reverse pass
     * takes each step's vector–Jacobian product as explicit ops instead of through a recorded graph.
     */
    default Optional<SecondOrder> secondOrder() {
        return Optional.empty();
    }

    /** Width of {@code x}. */
    int inputDim();

    /** Width of {@code y}. */
    int targetDim();
}
