package io.metagrad.core.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Arithmetic with Java constants that is safe inside recorded autograd graphs.
 *
 * <p>Why not {@code array.mul(0.9)}: DJL implements every {@code NDArray op(Number)} by wrapping
 * the number in a tensor over a Java direct buffer and closing it right after the op. Autograd
 * keeps that scalar for the backward pass, but once the wrapper is closed the garbage collector may
 * free its buffer, and a later backward reads freed memory (seen here as rare NaN or zero
 * metagradients). These helpers build the constant as a tensor that owns its storage.
 */
public final class Scalars {

    private Scalars() {}

    /**
     * A 0-dimensional constant with {@code like}'s type and device, in the current scope: one native
     * {@code full} call, whose result owns its storage (float32 rounds {@code value} to nearest, as a
     * Java cast does).
     */
    public static NDArray constant(NDArray like, double value) {
        return JniUtils.full((PtNDManager) like.getManager(), new Shape(), value, like.getDataType(), like.getDevice(),
                SparseFormat.DENSE);
    }

    /** {@code a · c}. */
    public static NDArray times(NDArray a, double c) {
        return a.mul(constant(a, c));
    }

    /** {@code a / c}. */
    public static NDArray over(NDArray a, double c) {
        return a.div(constant(a, c));
    }

    /** {@code a + c}. */
    public static NDArray plus(NDArray a, double c) {
        return a.add(constant(a, c));
    }

    /** {@code c − a}. */
    public static NDArray minusFrom(double c, NDArray a) {
        return constant(a, c).sub(a);
    }

    /** {@code min(a, c)} elementwise. */
    public static NDArray atMost(NDArray a, double c) {
        return a.minimum(constant(a, c));
    }
}
