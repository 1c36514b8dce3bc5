package io.metagrad.core.replay;

/** How the reverse pass takes each training step's vector–Jacobian product. */
public enum VjpMethod {
    /**
     * As explicit ops written by hand ({@link io.metagrad.core.train.StepVjp}), reusing the
     * activations the leaf's replay kept, where the model and optimizer have them; every other step
     * as {@link #RECORDED_GRAPH}. The default.
     */
    EXPLICIT,
    /**
     * {@link #EXPLICIT}, but each VJP recomputes what the explicit one reuses: its step's activations
     * (instead of those its leaf's replay kept) and, for Adam, its step's gradient (instead of
     * recovering it from the moments before and after the step). The same metagradient; benchmarks
     * measure what the reuse saves.
     */
    EXPLICIT_RECOMPUTING,
    /** One ordinary backward pass through the step's autograd graph, recorded while the leaf is replayed. */
    RECORDED_GRAPH
}
