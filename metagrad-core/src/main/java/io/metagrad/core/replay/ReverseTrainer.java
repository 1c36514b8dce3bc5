package io.metagrad.core.replay;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.metagrad.core.meta.MetagradientSink;
import io.metagrad.core.output.OutputFunction;
import io.metagrad.core.output.OutputGradients;
import io.metagrad.core.tensor.Tensors;
import io.metagrad.core.train.StepVjp;
import io.metagrad.core.train.TrainState;
import io.metagrad.core.train.TrainingRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Step-wise reverse-mode differentiation of a whole training run, with REPLAY (method.md §2–3).
 *
 * <p>The forward run keeps only the starts of the top-level pieces. The reverse pass walks the
 * pieces last to first, replaying from a kept start to make the starts of sub-pieces, down to
 * leaves of at most {@code k} steps. A leaf is replayed once more, keeping what its steps'
 * vector–Jacobian products need ({@link LeafSteps}: recorded graphs, or the activations for
 * hand-written VJPs), and then each step's VJP yields {@code s̄_t} and step {@code t}'s contribution
 * to {@code z̄}, which goes to a {@link MetagradientSink}. The last top-level leaf is replayed by the
 * forward run itself.
 *
 * <p>Every REPLAY {@code k} evaluates the same ops on the same bits in the same order, so the
 * metagradient is bitwise the same for every {@code k}.
 */
public final class ReverseTrainer {

    private final TrainingRun run;
    private final ReplayPlan plan;
    private final OutputFunction output;
    private final LeafSteps leaves;
    private final boolean explicit;
    private long forwardSteps;
    private long replaySteps;
    private long recordedSteps;
    private long leafReplaySteps;
    private long forwardNanos;
    private long replayNanos;
    private long leafNanos;
    private long vjpNanos;
    private final long started = System.nanoTime();

    /** With the hand-written VJPs where they exist ({@link VjpMethod#EXPLICIT}). */
    public ReverseTrainer(TrainingRun run, ReplayPlan plan, OutputFunction output, MetagradientSink sink) {
        this(run, plan, output, sink, VjpMethod.EXPLICIT);
    }

    public ReverseTrainer(TrainingRun run, ReplayPlan plan, OutputFunction output, MetagradientSink sink, VjpMethod method) {
        this.run = run;
        this.plan = plan;
        this.output = output;
        this.leaves = leavesFor(run, sink, output.count(), method);
        this.explicit = leaves instanceof ExplicitLeaves;
    }

    /** Hand-written VJPs where the step has them and the method asks for them; recorded graphs otherwise. */
    private static LeafSteps leavesFor(TrainingRun run, MetagradientSink sink, int outputs, VjpMethod method) {
        Optional<StepVjp> vjp = method == VjpMethod.RECORDED_GRAPH ? Optional.empty() : run.step().explicitVjp();
        if (vjp.isEmpty()) {
            return new RecordedLeaves(run, sink, outputs);
        }
        boolean reuse = method == VjpMethod.EXPLICIT;
        return new ExplicitLeaves(run, reuse ? vjp.get() : vjp.get().recomputingGradient(), sink, outputs, reuse);
    }

    /** Runs the forward pass and the reverse pass, and returns the output values {@code φ_q(θ_T)}. */
    public double[] run() {
        int steps = plan.steps();
        TrainState s0 = run.initialState();
        if (plan.isLeaf(0, steps)) {
            LeafSteps.Leaf leaf = leaf(0, steps, s0, true);
            EndPoint end = atEnd(leaf.end());
            forwardNanos = System.nanoTime() - started;
            backward(leaf, null, end.adjoints()).close();
            s0.close();
            return end.values();
        }
        int[] cuts = plan.cuts(0, steps);
        TrainState[] starts = replayKeepingStarts(cuts, s0, true);
        int lastStart = cuts[plan.k() - 1];
        LeafSteps.Leaf lastLeaf = null;
        TrainState end;
        if (plan.isLeaf(lastStart, steps)) {
            lastLeaf = leaf(lastStart, steps, starts[plan.k() - 1], true);
            end = lastLeaf.end();
        } else {
            end = advanceTo(starts[plan.k() - 1], steps);
        }
        EndPoint endPoint = atEnd(end);
        forwardNanos = System.nanoTime() - started;
        TrainState ownEnd = lastLeaf == null ? end : null;
        if (ownEnd != null && !leaves.readsStateAfter()) {
            ownEnd.close();
            ownEnd = null;
        }
        Adjoints adjoints = endPoint.adjoints();
        for (int j = plan.k() - 1; j >= 0; j--) {
            adjoints = j == plan.k() - 1 && lastLeaf != null
                    ? backward(lastLeaf, null, adjoints)
                    : reverse(cuts[j], cuts[j + 1], starts[j], j == plan.k() - 1 ? end : starts[j + 1], adjoints);
            release(starts, j, ownEnd);
        }
        s0.close();
        adjoints.close();
        return endPoint.values();
    }

    /**
     * Reverse pass over {@code [a, b)} from {@code s̄_b} to {@code s̄_a}; {@code sa} and {@code sb} (the
     * states at its ends) stay open.
     */
    private Adjoints reverse(int a, int b, TrainState sa, TrainState sb, Adjoints adjoints) {
        if (plan.isLeaf(a, b)) {
            return backward(leaf(a, b, sa, false), sb, adjoints);
        }
        int[] cuts = plan.cuts(a, b);
        TrainState[] starts = replayKeepingStarts(cuts, sa, false);
        for (int j = plan.k() - 1; j >= 0; j--) {
            adjoints = reverse(cuts[j], cuts[j + 1], starts[j], j == plan.k() - 1 ? sb : starts[j + 1], adjoints);
            release(starts, j, null);
        }
        return adjoints;
    }

    /**
     * Closes the state that the reverse pass of piece {@code j} was the last to need: its own start,
     * or, when leaves read the state after them, the start of piece {@code j + 1} ({@code end} after
     * the last piece, if this frame owns it). {@code starts[0]} belongs to the caller.
     */
    private void release(TrainState[] starts, int j, TrainState end) {
        if (!leaves.readsStateAfter()) {
            if (j > 0) {
                starts[j].close();
            }
        } else if (j + 1 < plan.k()) {
            starts[j + 1].close();
        } else if (end != null) {
            end.close();
        }
    }

    /** Replays from {@code cuts[0]} to {@code cuts[k-1]}, keeping the state at every cut. */
    private TrainState[] replayKeepingStarts(int[] cuts, TrainState first, boolean forward) {
        long t0 = System.nanoTime();
        TrainState[] starts = new TrainState[plan.k()];
        starts[0] = first;
        TrainState state = first;
        int next = 1;
        for (int t = cuts[0]; t < cuts[plan.k() - 1]; t++) {
            TrainState after = run.advance(state);
            if (state != starts[next - 1]) {
                state.close();
            }
            state = after;
            if (t + 1 == cuts[next]) {
                starts[next++] = state;
            }
        }
        int replayed = cuts[plan.k() - 1] - cuts[0];
        if (forward) {
            forwardSteps += replayed;
        } else {
            replaySteps += replayed;
            replayNanos += System.nanoTime() - t0;
        }
        return starts;
    }

    /** Trains from {@code from} (kept open) to step {@code end} without keeping anything. */
    private TrainState advanceTo(TrainState from, int end) {
        TrainState state = from;
        while (state.step() < end) {
            TrainState after = run.advance(state);
            forwardSteps++;
            if (state != from) {
                state.close();
            }
            state = after;
        }
        return state;
    }

    /** A leaf replayed for its reverse steps; timed as leaf work unless the forward run makes it. */
    private LeafSteps.Leaf leaf(int a, int b, TrainState sa, boolean forward) {
        long t0 = System.nanoTime();
        LeafSteps.Leaf leaf = leaves.replay(a, b, sa, forward);
        if (forward) {
            forwardSteps += leaf.replayed();
        }
        recordedSteps += b - a;
        if (!forward) {
            leafReplaySteps += leaf.replayed();
            leafNanos += System.nanoTime() - t0;
        }
        return leaf;
    }

    private Adjoints backward(LeafSteps.Leaf leaf, TrainState sb, Adjoints adjoints) {
        long t0 = System.nanoTime();
        Adjoints before = leaves.reverse(leaf, sb, adjoints);
        vjpNanos += System.nanoTime() - t0;
        return before;
    }

    /** The output values at the end of training and their adjoints {@code s̄_T}. */
    private record EndPoint(double[] values, Adjoints adjoints) {}

    /** {@code φ(θ_T)} and {@code s̄_T = (∂φ_q/∂θ_T, 0 for the optimizer slots)} for each output. */
    private EndPoint atEnd(TrainState end) {
        NDManager manager = run.manager().newSubManager();
        int parameters = run.step().parameterCount();
        OutputGradients.Result result = OutputGradients.of(
                output, run.model(), end.parameters(parameters), run.config().precision(), manager);
        List<List<NDArray>> perOutput = new ArrayList<>(output.count());
        for (List<NDArray> gradient : result.gradients()) {
            List<NDArray> adjoint = new ArrayList<>(gradient);
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                for (NDArray slot : end.arrays().subList(parameters, end.arrays().size())) {
                    NDArray zeros = slot.zerosLike();
                    Tensors.keep(manager, zeros);
                    adjoint.add(zeros);
                }
            }
            perOutput.add(adjoint);
        }
        return new EndPoint(result.values(), new Adjoints(manager, perOutput));
    }

    /** Whether the steps' VJPs were hand-written ops (else backward passes through recorded graphs). */
    public boolean explicit() {
        return explicit;
    }

    /** Seconds from the start to the output adjoints: the first training run (with its last leaf) and the output. */
    public double forwardSeconds() {
        return forwardNanos / 1e9;
    }

    /** Seconds of the reverse pass's replays without graph (REPLAY's upper levels). */
    public double replaySeconds() {
        return replayNanos / 1e9;
    }

    /** Seconds of the reverse pass's leaf replays (recording graphs, or keeping activations). */
    public double leafSeconds() {
        return leafNanos / 1e9;
    }

    /** Seconds of the steps' vector–Jacobian products. */
    public double vjpSeconds() {
        return vjpNanos / 1e9;
    }

    public long forwardSteps() {
        return forwardSteps;
    }

    public long replaySteps() {
        return replaySteps;
    }

    /** Steps differentiated: every step once. */
    public long recordedSteps() {
        return recordedSteps;
    }

    /** Steps the reverse pass's leaf replays ran (the first run's last leaf is counted in {@link #forwardSteps}). */
    public long leafReplaySteps() {
        return leafReplaySteps;
    }
}
