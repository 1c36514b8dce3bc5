package io.metagrad.core.replay;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.metagrad.core.meta.MetagradientSink;
import io.metagrad.core.tensor.GradMode;
import io.metagrad.core.tensor.Tensors;
import io.metagrad.core.train.InputGradients;
import io.metagrad.core.train.StepInputs;
import io.metagrad.core.train.TrainState;
import io.metagrad.core.train.TrainingRun;
import java.util.ArrayList;
import java.util.List;

/**
 * Leaves replayed <em>with</em> each step's autograd graph recorded from fresh leaves; each step's VJP
 * is then one ordinary backward pass of {@code ⟨s̄_{t+1}, h_t(s_t, z)⟩} through its graph. Works for
 * every model and optimizer.
 */
final class RecordedLeaves implements LeafSteps {

    private final TrainingRun run;
    private final MetagradientSink sink;
    private final int outputs;

    RecordedLeaves(TrainingRun run, MetagradientSink sink, int outputs) {
        this.run = run;
        this.sink = sink;
        this.outputs = outputs;
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

    private record RecordedLeaf(List<Recorded> steps) implements Leaf {
        @Override
        public TrainState end() {
            return steps.get(steps.size() - 1).output();
        }

        @Override
        public int replayed() {
            return steps.size();
        }
    }

    @Override
    public boolean readsStateAfter() {
        return false;
    }

    /** Records every step of {@code [a, b)}, so the leaf always makes {@code s_b}. */
    @Override
    public Leaf replay(int a, int b, TrainState sa, boolean withEnd) {
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
        }
        return new RecordedLeaf(leaf);
    }

    private static void keepInputs(NDManager graph, StepInputs in) {
        for (NDArray a : new NDArray[] {in.x(), in.y(), in.w(), in.lr(), in.wd()}) {
            if (a != null) {
                Tensors.keep(graph, a);
            }
        }
    }

    @Override
    public Adjoints reverse(Leaf leaf, TrainState sb, Adjoints after) {
        List<Recorded> steps = ((RecordedLeaf) leaf).steps();
        Adjoints adjoints = after;
        for (int i = steps.size() - 1; i >= 0; i--) {
            try (Recorded step = steps.get(i); Adjoints consumed = adjoints) {
                adjoints = vjp(step, consumed);
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
                sink.accumulate(q, step.inputs(), InputGradients.recorded(step.inputs()));
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
}
