package io.metagrad.core.tensor;

import ai.djl.ndarray.types.DataType;

/** Floating-point precision of a training run. float32 is the default; the exactness tests use float64. */
public enum Precision {
    FLOAT32(DataType.FLOAT32, 4),
    FLOAT64(DataType.FLOAT64, 8);

    private final DataType dataType;
    private final int bytes;

    Precision(DataType dataType, int bytes) {
        this.dataType = dataType;
        this.bytes = bytes;
    }

    public DataType dataType() {
        return dataType;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }
}
