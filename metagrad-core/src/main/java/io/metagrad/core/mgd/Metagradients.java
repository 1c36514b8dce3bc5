package io.metagrad.core.mgd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.meta.MetagradientSink;
import io.metagrad.core.output.OutputFunction;
import io.metagrad.core.replay.ReplayPlan;
import io.metagrad.core.replay.ReverseTrainer;
import io.metagrad.core.replay.StateStore;
import io.metagrad.core.replay.VjpMethod;
import io.metagrad.core.tensor.Engines;
import io.metagrad.core.tensor.GradMode;
import io.metagrad.core.tensor.Tensors;
import io.metagrad.core.train.Batches;
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
        return compute(problem, k, VjpMethod.EXPLICIT);
    }

    /**
     * {@link #compute(MetagradientProblem, int)} with a chosen way of taking each step's
     * vector–Jacobian product (benchmarks and tests compare them; both give the same metagradient).
     */
    public static MetagradientResult compute(MetagradientProblem problem, int k, VjpMethod method) {
        MetagradientSink.Dense zBar = new MetagradientSink.Dense(problem.metaparameter(), problem.output().count());
        StateStore store = new StateStore();
        long start = System.nanoTime();
        try (NDManager root = Engines.newManager();
                TrainingRun run = new TrainingRun(problem.config(), problem.data(), problem.metaparameter(), root, store)) {
            Streamed r = reverse(run, k, problem.output(), zBar, store, start, method);
            MetagradientCheck.require(problem, r.values(), zBar.values());
            return new MetagradientResult(r.values(), zBar.values(), r.stats());
        }
    }

    /** Output values and what computing their metagradients cost; the metagradients went to a sink. */
    public record Streamed(double[] values, RunStats stats) {}

    /**
     * Trains on {@code batches} (e.g. streamed from storage) and differentiates each output through
     * the whole run with REPLAY, with respect to the weights of the examples trained on; each step's
     * contributions go to {@code listener} as the reverse pass reaches them (last step first). The
     * run closes {@code batches}.
     */
    public static Streamed computeStreamed(TrainConfig config, Batches batches, OutputFunction output, int k,
            MetagradientSink.StreamedWeights.Listener listener) {
        StateStore store = new StateStore();
        long start = System.nanoTime();
        try (NDManager root = Engines.newManager(); TrainingRun run = new TrainingRun(config, batches, root, store)) {
            return reverse(run, k, output, new MetagradientSink.StreamedWeights(listener), store, start, VjpMethod.EXPLICIT);
        }
    }

    private static Streamed reverse(TrainingRun run, int k, OutputFunction output, MetagradientSink sink, StateStore store,
            long start, VjpMethod method) {
        ReplayPlan plan = new ReplayPlan(run.config().steps(), k);
        ReverseTrainer reverse = new ReverseTrainer(run, plan, output, sink, method);
        double[] values = reverse.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        RunStats stats = new RunStats(
                plan.steps(), k, plan.levels(), output.count(),
                reverse.forwardSteps(), reverse.replaySteps(), reverse.recordedSteps(), reverse.leafReplaySteps(),
                store.peakStates(), store.peakBytes(), plan.stateBound(), reverse.forwardSeconds(), seconds,
                reverse.replaySeconds(), reverse.leafSeconds(), reverse.vjpSeconds(), reverse.explicit());
        return new Streamed(values, stats);
    }

    /** Trains on {@code batches} (e.g. streamed from storage) and returns the final parameters; closes {@code batches}. */
    public static List<double[]> train(TrainConfig config, Batches batches) {
        try (NDManager root = Engines.newManager();
                TrainingRun run = new TrainingRun(config, batches, root, new StateStore());
                TrainState end = run.train()) {
            return Tensors.toDoubleList(end.parameters(run.step().parameterCount()));
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
        try (NDManager root = Engines.newManager();
                TrainingRun run = new TrainingRun(problem.config(), problem.data(), problem.metaparameter(), root, new StateStore())) {
            return checkpoints(run, steps);
        }
    }

    /** {@link #trainWithCheckpoints(MetagradientProblem, int[])} on {@code batches} (e.g. streamed from storage); closes {@code batches}. */
    public static List<List<double[]>> trainWithCheckpoints(TrainConfig config, Batches batches, int[] steps) {
        try (NDManager root = Engines.newManager(); TrainingRun run = new TrainingRun(config, batches, root, new StateStore())) {
            return checkpoints(run, steps);
        }
    }

    private static List<List<double[]>> checkpoints(TrainingRun run, int[] steps) {
        int[] sorted = steps.clone();
        java.util.Arrays.sort(sorted);
        List<List<double[]>> out = new java.util.ArrayList<>();
        TrainState state = run.initialState();
        int next = 0;
        for (int t = 0; next < sorted.length; t++) {
            while (next < sorted.length && sorted[next] == t) {
                out.add(Tensors.toDoubleList(state.arrays()));
                next++;
            }
            if (next == sorted.length || t == run.config().steps()) {
                break;
            }
            TrainState after = run.advance(state);
            state.close();
            state = after;
        }
        state.close();
        if (next < sorted.length) {
            throw new IllegalArgumentException("checkpoint step " + sorted[next] + " is beyond train.steps = "
                    + run.config().steps());
        }
        return out;
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
