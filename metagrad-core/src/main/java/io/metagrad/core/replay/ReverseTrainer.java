package io.metagrad.core.replay;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.metagrad.core.meta.MetagradientSink;
import io.metagrad.core.output.OutputFunction;
import io.metagrad.core.output.OutputGradients;
import io.metagrad.core.tensor.GradMode;
import io.metagrad.core.tensor.Tensors;
import io.metagrad.core.train.StepInputs;
import io.metagrad.core.train.TrainState;
import io.metagrad.core.train.TrainingRun;
import java.util.ArrayList;
import java.util.List;

/**
 * Step-wise reverse-mode differentiation of a whole training run, with REPLAY (method.md §2–3).
 *
 * <p>The forward run keeps only the starts of the top-level pieces. The reverse pass walks the
 * pieces last to first, replaying from a kept start to make the starts of sub-pieces, down to
 * leaves of at most {@code k} steps. A leaf is replayed once <em>with</em> its autograd graph
 * recorded, and then each step's vector–Jacobian product is one ordinary backward pass of
 * {@code ⟨s̄_{t+1}, h_t(s_t, z)⟩}: it yields {@code s̄_t} and step {@code t}'s contribution to
 * {@code z̄}, which goes to a {@link MetagradientSink}. Recording during the leaf's replay means no step is computed twice at the leaves;
 * the last top-level leaf is recorded by the forward run itself.
 *
 * <p>Every REPLAY {@code k} evaluates the same ops on the same bits in the same order, so the
 * metagradient is bitwise the same for every {@code k}.
 */
public final class ReverseTrainer {

    private final TrainingRun run;
    private final ReplayPlan plan;
    private final MetagradientSink sink;
    private final OutputFunction output;
    private final int outputs;
    private long forwardSteps;
    private long replaySteps;
    private long recordedSteps;
    private long forwardNanos;
    private final long started = System.nanoTime();

    public ReverseTrainer(TrainingRun run, ReplayPlan plan, OutputFunction output, MetagradientSink sink) {
        this.run = run;
        this.plan = plan;
        this.sink = sink;
        this.output = output;
        this.outputs = output.count();
    }

    /** One step of a leaf, replayed with its graph: the leaves it read and the state it made. */
    private record Recorded(NDManager graph, List<NDArray> stateLeaves, StepInputs inputs, TrainState output)
            implements AutoCloseable {
        @Override
        public void close() {
            output.close();
            graph.close();
        }
    }

    /** Adjoints {@code s̄} of one state, one list per output, owned by one manager. */
    private record Adjoints(NDManager manager, List<List<NDArray>> perOutput) implements AutoCloseable {
        @Override
        public void close() {
            manager.close();
        }
    }

    /** Runs the forward pass and the reverse pass, and returns the output values {@code φ_q(θ_T)}. */
    public double[] run() {
        int steps = plan.steps();
        TrainState s0 = run.initialState();
        if (plan.isLeaf(0, steps)) {
            List<Recorded> leaf = record(0, steps, s0);
            EndPoint end = atEnd(leaf.get(leaf.size() - 1).output());
            forwardNanos = System.nanoTime() - started;
            backward(leaf, end.adjoints()).close();
            s0.close();
            return end.values();
        }
        int[] cuts = plan.cuts(0, steps);
        TrainState[] starts = replayKeepingStarts(cuts, s0, true);
        int lastStart = cuts[plan.k() - 1];
        List<Recorded> lastLeaf = null;
        TrainState end;
        if (plan.isLeaf(lastStart, steps)) {
            lastLeaf = record(lastStart, steps, starts[plan.k() - 1]);
            end = lastLeaf.get(lastLeaf.size() - 1).output();
        } else {
            end = advanceTo(starts[plan.k() - 1], steps);
        }
        EndPoint endPoint = atEnd(end);
        forwardNanos = System.nanoTime() - started;
        Adjoints adjoints = endPoint.adjoints();
        if (lastLeaf == null) {
            end.close();
        }
        for (int j = plan.k() - 1; j >= 0; j--) {
            adjoints = j == plan.k() - 1 && lastLeaf != null
                    ? backward(lastLeaf, adjoints)
                    : reverse(cuts[j], cuts[j + 1], starts[j], adjoints);
            starts[j].close();
        }
        adjoints.close();
        return endPoint.values();
    }

    /** Reverse pass over {@code [a, b)} from {@code s̄_b} to {@code s̄_a}; {@code sa} stays open. */
    private Adjoints reverse(int a, int b, TrainState sa, Adjoints adjoints) {
        if (plan.isLeaf(a, b)) {
            return backward(record(a, b, sa), adjoints);
        }
        int[] cuts = plan.cuts(a, b);
        TrainState[] starts = replayKeepingStarts(cuts, sa, false);
        for (int j = plan.k() - 1; j >= 0; j--) {
            adjoints = reverse(cuts[j], cuts[j + 1], starts[j], adjoints);
            if (j > 0) {
                starts[j].close();
            }
        }
        return adjoints;
    }

    /** Replays from {@code cuts[0]} to {@code cuts[k-1]}, keeping the state at every cut. */
    private TrainState[] replayKeepingStarts(int[] cuts, TrainState first, boolean forward) {
        TrainState[] starts = new TrainState[plan.k()];
        starts[0] = first;
        TrainState state = first;
        int next = 1;
        for (int t = cuts[0]; t < cuts[plan.k() - 1]; t++) {
            TrainState after = run.advance(state);
            count(forward);
            if (state != starts[next - 1]) {
                state.close();
            }
            state = after;
            if (t + 1 == cuts[next]) {
                starts[next++] = state;
            }
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

    private void count(boolean forward) {
        if (forward) {
            forwardSteps++;
        } else {
            replaySteps++;
        }
    }

    /** Replays {@code [a, b)} from {@code sa} recording each step's graph from fresh leaves. */
    private List<Recorded> record(int a, int b, TrainState sa) {
        List<Recorded> leaf = new ArrayList<>(b - a);
        List<NDArray> input = sa.arrays();
        for (int t = a; t < b; t++) {
            NDManager graph = run.manager().newSubManager();
            try (NDScope scope = new NDScope(); GradMode recording = GradMode.recording()) {
                scope.suppressNotUsedWarning();
                List<NDArray> leaves = new ArrayList<>(input.size());
                for (NDArray array : input) {
                    leaves.add(Tensors.leaf(array));
                }
                StepInputs in = run.inputs(t);
                sink.markLeaves(in);
                List<NDArray> next = run.step().apply(leaves, in);
                Tensors.keep(graph, leaves);
                keepInputs(graph, in);
                TrainState out = new TrainState(run.manager(), next, t + 1, run.store());
                leaf.add(new Recorded(graph, leaves, in, out));
                input = out.arrays();
            }
            recordedSteps++;
        }
        return leaf;
    }

    private static void keepInputs(NDManager graph, StepInputs in) {
        for (NDArray a : new NDArray[] {in.x(), in.y(), in.w(), in.lr(), in.wd()}) {
            if (a != null) {
                Tensors.keep(graph, a);
            }
        }
    }

    /** Vector–Jacobian products through a recorded leaf, last step first; closes the leaf. */
    private Adjoints backward(List<Recorded> leaf, Adjoints adjoints) {
        for (int i = leaf.size() - 1; i >= 0; i--) {
            try (Recorded step = leaf.get(i); Adjoints after = adjoints) {
                adjoints = vjp(step, after);
            }
        }
        return adjoints;
    }

    private Adjoints vjp(Recorded step, Adjoints after) {
        NDManager manager = run.manager().newSubManager();
        List<List<NDArray>> before = new ArrayList<>(outputs);
        for (int q = 0; q < outputs; q++) {
            boolean last = q == outputs - 1;
            try (NDScope scope = new NDScope(); GradMode recording = GradMode.recording()) {
                scope.suppressNotUsedWarning();
                NDArray pairing = Tensors.innerProduct(after.perOutput().get(q), step.output().arrays());
                Tensors.backward(pairing, !last);
                List<NDArray> adjoint = new ArrayList<>(step.stateLeaves().size());
                for (NDArray leaf : step.stateLeaves()) {
                    adjoint.add(Tensors.gradient(leaf, manager, !last));
                }
                before.add(adjoint);
                sink.accumulate(q, step.inputs());
            }
            if (!last) {
                clearGradients(step);
            }
        }
        return new Adjoints(manager, before);
    }

    private static void clearGradients(Recorded step) {
        for (NDArray leaf : step.stateLeaves()) {
            Tensors.zeroGradient(leaf);
        }
        StepInputs in = step.inputs();
        for (NDArray a : new NDArray[] {in.x(), in.y(), in.w(), in.lr(), in.wd()}) {
            if (a != null && a.hasGradient()) {
                Tensors.zeroGradient(a);
            }
        }
    }

    /** The output values at the end of training and their adjoints {@code s̄_T}. */
    private record EndPoint(double[] values, Adjoints adjoints) {}

    /** {@code φ(θ_T)} and {@code s̄_T = (∂φ_q/∂θ_T, 0 for the optimizer slots)} for each output. */
    private EndPoint atEnd(TrainState end) {
        NDManager manager = run.manager().newSubManager();
        int parameters = run.step().parameterCount();
        OutputGradients.Result result = OutputGradients.of(
                output, run.model(), end.parameters(parameters), run.config().precision(), manager);
        List<List<NDArray>> perOutput = new ArrayList<>(outputs);
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

    /** Seconds from the start to the output adjoints: the first training run and the output. */
    public double forwardSeconds() {
        return forwardNanos / 1e9;
    }

    public long forwardSteps() {
        return forwardSteps;
    }

    public long replaySteps() {
        return replaySteps;
    }

    public long recordedSteps() {
        return recordedSteps;
    }
}
