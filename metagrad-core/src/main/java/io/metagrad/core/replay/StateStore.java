package io.metagrad.core.replay;

import io.metagrad.core.train.TrainState;

/**
 * Counts the training states alive at once and their bytes, current and peak. Every
 * {@link TrainState} reports itself here when made and when closed, so the figures cannot drift
 * from what is really held.
 */
public final class StateStore {

    private int states;
    private long bytes;
    private int peakStates;
    private long peakBytes;

    public synchronized void held(TrainState state) {
        states++;
        bytes += state.bytes();
        peakStates = Math.max(peakStates, states);
        peakBytes = Math.max(peakBytes, bytes);
    }

    public synchronized void released(TrainState state) {
        states--;
        bytes -= state.bytes();
    }

    public synchronized int states() {
        return states;
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized int peakStates() {
        return peakStates;
    }

    public synchronized long peakBytes() {
        return peakBytes;
    }
}
