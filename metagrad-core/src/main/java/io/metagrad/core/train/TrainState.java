package io.metagrad.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.metagrad.core.replay.StateStore;
import io.metagrad.core.tensor.Tensors;
import java.util.List;

/**
 * The optimizer state {@code s_t = (θ_t, slots_t)} before step {@code t}: parameters first, then
 * the optimizer's slots (momentum, second moments) parameter by parameter. Owns its arrays
 * through its own manager; closing it frees them and reports the release to its store.
 */
public final class TrainState implements AutoCloseable {

    private final NDManager manager;
    private final List<NDArray> arrays;
    private final int step;
    private final long bytes;
    private final StateStore store;
    private boolean closed;

    /** Takes ownership of {@code arrays} (moved out of the current scope into a new manager). */
    public TrainState(NDManager parent, List<NDArray> arrays, int step, StateStore store) {
        this.manager = parent.newSubManager();
        this.arrays = Tensors.keep(manager, List.copyOf(arrays));
        this.step = step;
        this.bytes = Tensors.bytes(arrays);
        this.store = store;
        store.held(this);
    }

    /** All arrays of the state, parameters first. */
    public List<NDArray> arrays() {
        return arrays;
    }

    /** The first {@code count} arrays: the parameters. */
    public List<NDArray> parameters(int count) {
        return arrays.subList(0, count);
    }

    /** The step this state comes before. */
    public int step() {
        return step;
    }

    public long bytes() {
        return bytes;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            manager.close();
            store.released(this);
        }
    }
}
