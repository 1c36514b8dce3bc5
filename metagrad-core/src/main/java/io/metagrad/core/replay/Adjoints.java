package io.metagrad.core.replay;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/** Adjoints {@code s̄} of one state, one list per output (state order), owned by one manager. */
record Adjoints(NDManager manager, List<List<NDArray>> perOutput) implements AutoCloseable {
    @Override
    public void close() {
        manager.close();
    }
}
