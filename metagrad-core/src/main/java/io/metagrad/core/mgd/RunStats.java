package io.metagrad.core.mgd;

/**
 * What a metagradient computation cost.
 *
 * @param steps training steps {@code T}
 * @param k REPLAY branching factor
 * @param levels recursion depth {@code ⌈log_k T⌉}
 * @param outputs number of output values {@code Q}
 * @param forwardSteps steps of the first training run (its last leaf included)
 * @param replaySteps steps re-run without a graph during the reverse pass
 * @param recordedSteps steps differentiated (each once)
 * @param leafReplaySteps steps the reverse pass's leaf replays ran (recording graphs or keeping activations)
 * @param peakStates most training states held at once
 * @param peakStateBytes most bytes of training states held at once
 * @param stateBound the bound REPLAY guarantees on {@code peakStates}
 * @param forwardSeconds wall time of the first training run (to the output's adjoint)
 * @param seconds wall time, forward and reverse
 * @param replaySeconds of {@code seconds}: the reverse pass's replays without graph
 * @param leafSeconds of {@code seconds}: the reverse pass's leaf replays (recording graphs or keeping activations)
 * @param vjpSeconds of {@code seconds}: the steps' vector–Jacobian products
 * @param explicitVjp whether the VJPs were hand-written ops rather than backward passes through recorded graphs
 */
public record RunStats(
        int steps,
        int k,
        int levels,
        int outputs,
        long forwardSteps,
        long replaySteps,
        long recordedSteps,
        long leafReplaySteps,
        int peakStates,
        long peakStateBytes,
        int stateBound,
        double forwardSeconds,
        double seconds,
        double replaySeconds,
        double leafSeconds,
        double vjpSeconds,
        boolean explicitVjp) {}
