package io.metagrad.core.train;

import ai.djl.ndarray.NDArray;

/**
 * What step {@code t} reads besides the state: the batch's features {@code x}, targets {@code y}
 * and per-example weights {@code w}, the learning rate {@code lr} and the weight decay {@code wd}
 * (scalars; {@code wd} is null when the run has none). A metaparameter makes some of these
 * autograd leaves during the reverse pass.
 */
public record StepInputs(int step, int[] batch, NDArray x, NDArray y, NDArray w, NDArray lr, NDArray wd) {}
