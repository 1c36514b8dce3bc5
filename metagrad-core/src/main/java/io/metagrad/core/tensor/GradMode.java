package io.metagrad.core.tensor;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns PyTorch's thread-local gradient recording on or off for a block and restores it after.
 *
 * <p>Used instead of DJL's {@code GradientCollector}, which allows one open collector per JVM and
 * so cannot run inside parallel tasks.
 */
public final class GradMode implements AutoCloseable {

    private final boolean previous;

    private GradMode(boolean enabled) {
        Engines.pytorch();
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(enabled);
    }

    /** Records operations on arrays that require gradients, until closed. */
    public static GradMode recording() {
        return new GradMode(true);
    }

    /** Records nothing, until closed. */
    public static GradMode off() {
        return new GradMode(false);
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
