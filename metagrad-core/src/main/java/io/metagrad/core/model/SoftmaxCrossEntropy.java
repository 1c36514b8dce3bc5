package io.metagrad.core.model;

import io.metagrad.core.tensor.Scalars;
import ai.djl.ndarray.NDArray;

/** Cross-entropy of softmax logits against soft labels, and its hand-written gradient. */
final class SoftmaxCrossEntropy {

    private SoftmaxCrossEntropy() {}

    /** {@code ℓ_i = −Σ_c y_ic · log softmax(logits)_ic}, shape {@code [B]}. */
    static NDArray losses(NDArray logits, NDArray y) {
        return y.mul(logits.logSoftmax(1)).sum(new int[] {1}).neg();
    }

    /**
     * {@code ∂/∂logits} of {@code (1/B) Σ_i w_i ℓ_i}: {@code (w_i/B)(p_i·Σ_c y_ic − y_i)}. Valid for
     * soft labels that do not sum to one (poisoned labels need not).
     */
    static NDArray logitsGradient(NDArray logits, NDArray y, NDArray w) {
        long batch = logits.getShape().get(0);
        NDArray p = logits.softmax(1);
        NDArray mass = y.sum(new int[] {1}, true);
        NDArray scale = Scalars.over(w, batch).reshape(batch, 1);
        return p.mul(mass).sub(y).mul(scale);
    }
}
