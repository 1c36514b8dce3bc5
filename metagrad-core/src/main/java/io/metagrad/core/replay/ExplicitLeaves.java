package io.metagrad.core.replay;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.metagrad.core.meta.MetagradientSink;
import io.metagrad.core.model.SecondOrder;
import io.metagrad.core.tensor.GradMode;
import io.metagrad.core.tensor.Tensors;
import io.metagrad.core.train.StepInputs;
import io.metagrad.core.train.StepVjp;
import io.metagrad.core.train.TrainState;
import io.metagrad.core.train.TrainingRun;
import java.util.ArrayList;
import java.util.List;

/**
 * Leaves replayed without any graph, each step keeping its inputs and the tape of its gradient
 * (forward activations and backpropagated signals); each step's VJP is then {@link StepVjp}'s
 * explicit ops over that tape. The leaf's last step is not replayed: the state after it is the
 * caller's, and its VJP recomputes the tape (the same ops, so the same bits as a kept one).
 */
final class ExplicitLeaves implements LeafSteps {

    private final TrainingRun run;
    private final StepVjp vjp;
    private final MetagradientSink sink;
    private final int outputs;
    private final boolean keepTapes;

    /** @param keepTapes whether replayed steps keep their tapes (else each VJP recomputes its own) */
    ExplicitLeaves(TrainingRun run, StepVjp vjp, MetagradientSink sink, int outputs, boolean keepTapes) {
        this.run = run;
        this.vjp = vjp;
        this.sink = sink;
        this.outputs = outputs;
        this.keepTapes = keepTapes;
    }

    /** A replayed step's inputs and tape (null when not kept), owned by one manager. */
    private record Taped(NDManager manager, StepInputs inputs, SecondOrder.Tape tape) implements AutoCloseable {
        @Override
        public void close() {
            manager.close();
        }
    }

    /** States {@code s_a … s_{b-1}} (the first is the caller's), the replayed steps, and {@code s_b} if made. */
    private record TapedLeaf(int a, int b, List<TrainState> states, List<Taped> steps, TrainState end) implements Leaf {
        @Override
        public int replayed() {
            return steps.size();
        }
    }

    @Override
    public boolean readsStateAfter() {
        return true;
    }

    @Override
    public Leaf replay(int a, int b, TrainState sa, boolean withEnd) {
        List<TrainState> states = new ArrayList<>(b - a);
        List<Taped> steps = new ArrayList<>(b - a);
        states.add(sa);
        TrainState end = null;
        int replayed = withEnd ? b : b - 1;
        for (int t = a; t < replayed; t++) {
            NDManager manager = run.manager().newSubManager();
            try (NDScope scope = new NDScope(); GradMode off = GradMode.off()) {
                scope.suppressNotUsedWarning();
                StepInputs in = run.inputs(t);
                sink.markLeaves(in);
                var step = run.step().applyTaped(states.get(states.size() - 1).arrays(), in);
                keepInputs(manager, in);
                if (keepTapes) {
                    Tensors.keep(manager, step.tape().arrays());
                }
                steps.add(new Taped(manager, in, keepTapes ? step.tape() : null));
                TrainState next = new TrainState(run.manager(), step.next(), t + 1, run.store());
                if (t + 1 < b) {
                    states.add(next);
                } else {
                    end = next;
                }
            }
        }
        return new TapedLeaf(a, b, states, steps, end);
    }

    private static void keepInputs(NDManager manager, StepInputs in) {
        for (NDArray a : new NDArray[] {in.x(), in.y(), in.w(), in.lr(), in.wd()}) {
            if (a != null) {
                Tensors.keep(manager, a);
            }
        }
    }

    @Override
    public Adjoints reverse(Leaf leaf, TrainState sb, Adjoints after) {
        TapedLeaf l = (TapedLeaf) leaf;
        TrainState stateAfter = l.end() != null ? l.end() : sb;
        Adjoints adjoints = after;
        for (int t = l.b() - 1; t >= l.a(); t--) {
            int i = t - l.a();
            TrainState before = l.states().get(i);
            try (Adjoints consumed = adjoints) {
                adjoints = i < l.steps().size()
                        ? vjp(before, stateAfter, l.steps().get(i), consumed)
                        : vjpRecomputingTape(t, before, stateAfter, consumed);
            }
            if (i < l.steps().size()) {
                l.steps().get(i).close();
            }
            if (stateAfter != sb) {
                stateAfter.close();
            }
            stateAfter = before;
        }
        return adjoints;
    }

    private Adjoints vjpRecomputingTape(int t, TrainState before, TrainState stateAfter, Adjoints after) {
        try (NDScope scope = new NDScope(); GradMode off = GradMode.off()) {
            scope.suppressNotUsedWarning();
            StepInputs in = run.inputs(t);
            sink.markLeaves(in);
            return vjp(before, stateAfter, in, vjp.tape(before.arrays(), in), after);
        }
    }

    private Adjoints vjp(TrainState before, TrainState stateAfter, Taped step, Adjoints after) {
        if (step.tape() != null) {
            return vjp(before, stateAfter, step.inputs(), step.tape(), after);
        }
        try (NDScope scope = new NDScope(); GradMode off = GradMode.off()) {
            scope.suppressNotUsedWarning();
            return vjp(before, stateAfter, step.inputs(), vjp.tape(before.arrays(), step.inputs()), after);
        }
    }

    private Adjoints vjp(TrainState before, TrainState stateAfter, StepInputs in, SecondOrder.Tape tape, Adjoints after) {
        NDManager manager = run.manager().newSubManager();
        List<List<NDArray>> adjoints = new ArrayList<>(outputs);
        for (int q = 0; q < outputs; q++) {
            try (NDScope scope = new NDScope(); GradMode off = GradMode.off()) {
                scope.suppressNotUsedWarning();
                StepVjp.Result r = vjp.apply(before.arrays(), stateAfter.arrays(), in, tape, after.perOutput().get(q));
                adjoints.add(Tensors.keep(manager, r.stateBar()));
                sink.accumulate(q, in, r.inputs());
            }
        }
        return new Adjoints(manager, adjoints);
    }
}
