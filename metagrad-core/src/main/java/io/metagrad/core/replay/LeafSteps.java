package io.metagrad.core.replay;

import io.metagrad.core.train.TrainState;

/**
 * How the steps of a REPLAY leaf are replayed and then differentiated last to first: through graphs
 * recorded during the replay ({@link RecordedLeaves}) or by hand-written VJPs over activations the
 * replay kept ({@link ExplicitLeaves}).
 */
interface LeafSteps {

    /** A replayed leaf: what its reverse steps need. */
    interface Leaf {
        /** {@code s_b}, when the leaf was asked to compute it; owned by the leaf. */
        TrainState end();

        /** Steps the replay ran (the explicit leaf does not rerun a last step whose next state it is given). */
        int replayed();
    }

    /**
     * Replays the steps {@code [a, b)} from {@code sa} (which stays open), keeping what their VJPs need;
     * with {@code withEnd} it also computes {@code s_b}.
     */
    Leaf replay(int a, int b, TrainState sa, boolean withEnd);

    /**
     * The VJPs of the leaf's steps, last first, from {@code s̄_b}; contributions go to the sink. Closes
     * the leaf and {@code after}.
     *
     * @param sb the state after the leaf when the leaf did not compute it (open until this returns)
     */
    Adjoints reverse(Leaf leaf, TrainState sb, Adjoints after);

    /** Whether {@link #reverse} reads {@code sb}, so that the caller must keep it open until then. */
    boolean readsStateAfter();
}
