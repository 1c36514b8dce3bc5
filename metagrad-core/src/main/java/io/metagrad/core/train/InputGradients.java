package io.metagrad.core.train;

import ai.djl.ndarray.NDArray;

/**
 * The derivatives of one step's pairing {@code ⟨ā, h_t(s_t, z)⟩} with respect to the step inputs a
 * metaparameter reads: features, targets, per-example weights, learning rate and weight decay
 * (null for the inputs that were not asked for). The reverse pass makes them either by hand
 * ({@link StepVjp}) or by a backward pass through the step's recorded graph ({@link #recorded}).
 */
public record InputGradients(NDArray x, NDArray y, NDArray w, NDArray lr, NDArray wd) {

    /** What a backward pass through a recorded graph left in the inputs that require gradients. */
    public static InputGradients recorded(StepInputs in) {
        return new InputGradients(gradientOf(in.x()), gradientOf(in.y()), gradientOf(in.w()), gradientOf(in.lr()),
                gradientOf(in.wd()));
    }

    private static NDArray gradientOf(NDArray input) {
        return input != null && input.hasGradient() ? input.getGradient() : null;
    }
}
