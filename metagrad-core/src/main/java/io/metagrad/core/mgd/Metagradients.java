package io.metagrad.core.mgd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.metagrad.core.replay.ReplayPlan;
import io.metagrad.core.replay.ReverseTrainer;
import io.metagrad.core.replay.StateStore;
import io.metagrad.core.tensor.Engines;
import io.metagrad.core.tensor.GradMode;
import io.metagrad.core.tensor.Tensors;
import io.metagrad.core.train.TrainState;
import io.metagrad.core.train.TrainingRun;
import java.util.List;

/** The public entry point: output values, exact metagradients, and plain training runs. */
public final class Metagradients {

    private Metagradients() {}

    /**
     * Trains, then differentiates each output through the whole run with REPLAY.
     *
     * @throws io.metagrad.core.train.TrainingDiverged when training diverges or a metagradient is non-finite or off
     *     by orders of magnitude ({@link MetagradientCheck})
     * @param k REPLAY branching factor, ≥ 2; {@code k ≥ T} stores every state
     */
    public static MetagradientResult compute(MetagradientProblem problem, int k) {
        ReplayPlan plan = new ReplayPlan(problem.config().steps(), k);
        StateStore store = new StateStore();
        long start = System.nanoTime();
        try (NDManager root = Engines.newManager();
                TrainingRun run = new TrainingRun(problem.config(), problem.data(), problem.metaparameter(), root, store)) {
            ReverseTrainer reverse = new ReverseTrainer(run, plan, problem.output());
            ReverseTrainer.Outcome outcome = reverse.run();
            MetagradientCheck.require(problem, outcome.values(), outcome.metagradients());
            double seconds = (System.nanoTime() - start) / 1e9;
            RunStats stats = new RunStats(
                    plan.steps(), k, plan.levels(), problem.output().count(),
                    reverse.forwardSteps(), reverse.replaySteps(), reverse.recordedSteps(),
                    store.peakStates(), store.peakBytes(), plan.stateBound(), reverse.forwardSeconds(), seconds);
            return new MetagradientResult(outcome.values(), outcome.metagradients(), stats);
        }
    }

    /** {@code φ(A(z))}: trains once and evaluates the outputs, without differentiating. */
    public static double[] evaluate(MetagradientProblem problem) {
        try (NDManager root = Engines.newManager();
                TrainingRun run = new TrainingRun(problem.config(), problem.data(), problem.metaparameter(), root, new StateStore());
                TrainState end = run.train();
                NDScope scope = new NDScope();
                GradMode off = GradMode.off()) {
            scope.suppressNotUsedWarning();
            List<NDArray> params = end.parameters(run.step().parameterCount());
            return Tensors.toDoubles(problem.output().values(run.model(), params, problem.config().precision()));
        }
    }

    /**
     * Trains once and returns the whole optimizer state (parameters, then slots) before each of
     * the given steps, in ascending step order; step {@code T} is the end of training.
     */
    public static List<List<double[]>> trainWithCheckpoints(MetagradientProblem problem, int[] steps) {
        int[] sorted = steps.clone();
        java.util.Arrays.sort(sorted);
        List<List<double[]>> out = new java.util.ArrayList<>();
        try (NDManager root = Engines.newManager();
                TrainingRun run = new TrainingRun(problem.config(), problem.data(), problem.metaparameter(), root, new StateStore())) {
            TrainState state = run.initialState();
            int next = 0;
            for (int t = 0; next < sorted.length; t++) {
                while (next < sorted.length && sorted[next] == t) {
                    out.add(Tensors.toDoubleList(state.arrays()));
                    next++;
                }
                if (next == sorted.length || t == problem.config().steps()) {
                    break;
                }
                TrainState after = run.advance(state);
                state.close();
                state = after;
            }
            state.close();
            if (next < sorted.length) {
                throw new IllegalArgumentException("checkpoint step " + sorted[next] + " is beyond train.steps = "
                        + problem.config().steps());
            }
            return out;
        }
    }

    /** Trains once and returns the final parameters, row-major, in the model's order. */
    public static List<double[]> train(MetagradientProblem problem) {
        try (NDManager root = Engines.newManager();
                TrainingRun run = new TrainingRun(problem.config(), problem.data(), problem.metaparameter(), root, new StateStore());
                TrainState end = run.train()) {
            return Tensors.toDoubleList(end.parameters(run.step().parameterCount()));
        }
    }
}
