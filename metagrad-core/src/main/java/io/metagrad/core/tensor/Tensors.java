package io.metagrad.core.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;

/** Small helpers for moving values between Java arrays and tensors, and for reverse passes. */
public final class Tensors {

    private Tensors() {}

    /** A tensor of the given precision holding {@code values} (row-major) in {@code shape}. */
    public static NDArray of(NDManager manager, double[] values, Shape shape, Precision precision) {
        if (precision == Precision.FLOAT64) {
            return owned(manager.create(values, shape));
        }
        float[] f = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            f[i] = (float) values[i];
        }
        return owned(manager.create(f, shape));
    }

    /**
     * A tensor of the given precision holding float {@code values} (row-major) in {@code shape}: the
     * same bits as {@link #of} of the values widened to double, without the double copy.
     */
    public static NDArray ofFloats(NDManager manager, float[] values, Shape shape, Precision precision) {
        if (precision == Precision.FLOAT64) {
            double[] d = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                d[i] = values[i];
            }
            return owned(manager.create(d, shape));
        }
        return owned(manager.create(values, shape));
    }

    /** A scalar (shape {@code ()}) of the given precision, owning its storage (one native call). */
    public static NDArray scalar(NDManager manager, double value, Precision precision) {
        return JniUtils.full((PtNDManager) manager, new Shape(), value, precision.dataType(), manager.getDevice(),
                SparseFormat.DENSE);
    }

    /**
     * The rows {@code index} of a matrix {@code [n, d]}, as a new {@code [B, d]} array: one
     * {@code index_select}, several times faster than advanced indexing for the same bits.
     */
    public static NDArray rows(NDArray matrix, NDArray index) {
        return JniUtils.embedding((PtNDArray) index, (PtNDArray) matrix, false);
    }

    /** An int64 vector. */
    public static NDArray indices(NDManager manager, long[] values) {
        return owned(manager.create(values));
    }

    /**
     * A copy whose storage the engine owns. DJL's {@code create} wraps a Java direct buffer
     * ({@code from_blob}) that lives only as long as the Java wrapper; any alias made later (a
     * detached autograd leaf, a tensor saved for backward) would then outlive its memory.
     */
    private static NDArray owned(NDArray borrowed) {
        NDArray copy = borrowed.duplicate();
        borrowed.close();
        return copy;
    }

    /** The values of a float32 or float64 tensor, widened to double. */
    public static double[] toDoubles(NDArray array) {
        if (array.getDataType() == DataType.FLOAT64) {
            return array.toDoubleArray();
        }
        float[] f = array.toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** The single value of a one-element tensor. */
    public static double toDouble(NDArray array) {
        return toDoubles(array)[0];
    }

    /** Makes {@code array} a fresh leaf of the autograd graph that records its gradient. */
    public static NDArray leaf(NDArray array) {
        NDArray leaf = array.stopGradient();
        leaf.setRequiresGradient(true);
        return leaf;
    }

    /** Σ_j ⟨a_j, b_j⟩ as a scalar tensor (differentiable in {@code b}); one fused dot per pair. */
    public static NDArray innerProduct(List<NDArray> a, List<NDArray> b) {
        NDArray total = null;
        for (int j = 0; j < a.size(); j++) {
            NDArray term = a.get(j).reshape(-1).dot(b.get(j).reshape(-1));
            total = total == null ? term : total.add(term);
        }
        return total;
    }

    /** Runs an ordinary (first-order) backward pass from a scalar; never builds a second-order graph. */
    public static void backward(NDArray scalar, boolean keepGraph) {
        NDArray seed = scalar.onesLike();
        JniUtils.backward((PtNDArray) scalar, (PtNDArray) seed, keepGraph, false);
        seed.close();
    }

    /** Clears the accumulated gradient of a leaf, so that another backward pass over the same graph starts at zero. */
    public static void zeroGradient(NDArray leaf) {
        JniUtils.zeroGrad((PtNDArray) leaf);
    }

    /**
     * A leaf's gradient (zeros where none flowed), owned by {@code manager}. With {@code copy} it is
     * an independent copy, needed when the leaf's gradient is cleared and reused afterwards;
     * without, it shares the leaf's gradient storage, which outlives the leaf.
     */
    public static NDArray gradient(NDArray leaf, NDManager manager, boolean copy) {
        NDArray grad = leaf.getGradient();
        if (copy) {
            NDArray duplicate = grad.duplicate();
            grad.close();
            grad = duplicate;
        }
        keep(manager, grad);
        return grad;
    }

    /** Moves arrays out of the current {@link NDScope} into {@code manager}, which then owns them. */
    public static void keep(NDManager manager, NDArray... arrays) {
        for (NDArray array : arrays) {
            NDScope.unregister(array);
            array.attach(manager);
        }
    }

    /** {@link #keep(NDManager, NDArray...)} for a list. */
    public static List<NDArray> keep(NDManager manager, List<NDArray> arrays) {
        for (NDArray array : arrays) {
            keep(manager, array);
        }
        return arrays;
    }

    /** Bytes held by the arrays. */
    public static long bytes(List<NDArray> arrays) {
        long total = 0;
        for (NDArray a : arrays) {
            total += a.size() * a.getDataType().getNumOfBytes();
        }
        return total;
    }

    /** Copies of the arrays' values as double arrays. */
    public static List<double[]> toDoubleList(List<NDArray> arrays) {
        List<double[]> out = new ArrayList<>(arrays.size());
        for (NDArray a : arrays) {
            out.add(toDoubles(a));
        }
        return out;
    }
}
