package io.metagrad.spark.io.npy;

import java.util.Arrays;

/**
 * A numeric array read from a {@code .npy} file, converted to {@code float}, in C (row-major)
 * order whatever the file's order.
 *
 * @param shape the array's shape ({@code []} for a scalar)
 * @param data  the values, row-major, {@code product(shape)} of them
 */
public record NpyArray(int[] shape, float[] data) {

    public NpyArray {
        long size = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            size *= d;
        }
        if (size != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + size + " values, got " + data.length);
        }
    }

    /** Number of rows: the first dimension (1 for a scalar). */
    public int rows() {
        return shape.length == 0 ? 1 : shape[0];
    }

    /** Values per row: the product of the other dimensions. */
    public int rowLength() {
        return rows() == 0 ? 0 : data.length / rows();
    }

    /** A copy of row {@code i} (the trailing dimensions flattened). */
    public float[] row(int i) {
        int n = rowLength();
        return Arrays.copyOfRange(data, i * n, (i + 1) * n);
    }
}
