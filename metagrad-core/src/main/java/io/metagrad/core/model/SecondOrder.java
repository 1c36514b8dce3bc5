package io.metagrad.core.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * The second-order part of a model whose gradient's vector–Jacobian product is written by hand:
 * {@code D⟨v, ∇θL(θ; x, y, w)⟩} with respect to {@code θ} (a Hessian–vector product) and to the batch,
 * computed forward-over-reverse as explicit ops, so that the reverse pass records no autograd graph.
 *
 * <p>A gradient evaluation is split in two so that a replayed step can hand its activations to the
 * reverse step of the same training step: {@link #tape} runs the forward pass and backpropagates the
 * loss to every layer's pre-activation (no weight-sized products); {@link #gradient} forms the
 * parameter gradient from a tape. {@link Model#gradient} is exactly {@code gradient(tape(…))}, op for op,
 * so a tape kept from a replay and a tape recomputed later hold the same bits.
 */
public interface SecondOrder {

    /** One gradient evaluation's forward activations and backpropagated signals. */
    interface Tape {
        /** The arrays the tape holds (to move them into a manager that outlives the step's scope). */
        List<NDArray> arrays();
    }

    /** What the vector–Jacobian product is wanted with respect to, besides {@code θ}. */
    record Wanted(boolean x, boolean y, boolean w) {}

    /**
     * {@code D⟨v, ∇θL⟩}: with respect to each parameter (same order and shapes as the parameters), and,
     * where wanted, to the features {@code [B, inputDim]}, the targets {@code [B, targetDim]} and the
     * per-example weights {@code [B]} (null where not wanted).
     */
    record Vjp(List<NDArray> params, NDArray x, NDArray y, NDArray w) {}

    /** The forward pass and the loss backpropagated to every layer, for parameters {@code params} on one batch. */
    Tape tape(List<NDArray> params, NDArray x, NDArray y, NDArray w);

    /** {@code ∇θ L} from a tape: the same ops, in the same order, as {@link Model#gradient}. */
    List<NDArray> gradient(Tape tape);

    /** The vector–Jacobian product of the gradient at the tape's point, along {@code v} (one array per parameter). */
    Vjp gradientVjp(Tape tape, List<NDArray> params, List<NDArray> v, Wanted wanted);
}
