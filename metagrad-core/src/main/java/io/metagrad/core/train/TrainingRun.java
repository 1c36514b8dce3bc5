package io.metagrad.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.meta.Metaparameter;
import io.metagrad.core.meta.RunInputs;
import io.metagrad.core.model.Model;
import io.metagrad.core.replay.StateStore;
import io.metagrad.core.tensor.GradMode;
import io.metagrad.core.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;

/**
 * One deterministic training routine {@code A(z)} bound to its data: the source of every step's
 * batch (in memory, or streamed from storage), the per-step rates and decay, and the step function.
 * Owns its native memory; close it when done.
 */
public final class TrainingRun implements AutoCloseable {

    private final TrainConfig config;
    private final NDManager manager;
    private final Model model;
    private final TrainingStep step;
    private final Batches batches;
    private final double[] rates;
    private final double weightDecay;
    private final boolean decayed;
    private final StateStore store;
    private final DivergenceGuard guard;

    /** Training on {@code data} held in memory, with the metaparameter put in place. */
    public TrainingRun(TrainConfig config, TrainingData data, Metaparameter metaparameter, NDManager parent, StateStore store) {
        this(config, metaparameter.apply(requireFits(config, data, metaparameter)), parent, store);
    }

    private TrainingRun(TrainConfig config, RunInputs inputs, NDManager parent, StateStore store) {
        this.config = config;
        this.model = buildFor(config, inputs.data().inputDim(), inputs.data().targetDim());
        this.step = new TrainingStep(model, config);
        this.store = store;
        this.manager = parent.newSubManager();
        this.batches = new InMemoryBatches(inputs.data(), inputs.exampleWeights(), config.seed(), config.batchSize(), manager,
                config.precision());
        this.rates = inputs.learningRates();
        this.weightDecay = inputs.weightDecay();
        this.decayed = inputs.decayed();
        this.guard = new DivergenceGuard(model, config, step.parameterCount());
    }

    /**
     * Training on {@code batches} from any source (e.g. streamed from storage) with the config's
     * schedule and decay; the run closes the source when it closes.
     */
    public TrainingRun(TrainConfig config, Batches batches, NDManager parent, StateStore store) {
        this.config = config;
        this.model = buildFor(config, batches.inputDim(), batches.targetDim());
        this.step = new TrainingStep(model, config);
        this.store = store;
        this.manager = parent.newSubManager();
        this.batches = batches;
        this.rates = config.schedule().rates(config.steps());
        this.weightDecay = config.optimizer().weightDecay();
        this.decayed = weightDecay != 0;
        this.guard = new DivergenceGuard(model, config, step.parameterCount());
    }

    private static RunInputs requireFits(TrainConfig config, TrainingData data, Metaparameter metaparameter) {
        metaparameter.validate(config, data);
        return RunInputs.of(config, data);
    }

    private static Model buildFor(TrainConfig config, int inputDim, int targetDim) {
        Model model = config.model().build();
        if (model.inputDim() != inputDim || model.targetDim() != targetDim) {
            throw new IllegalArgumentException(
                    "the model expects inputs of width " + model.inputDim() + " and targets of width "
                            + model.targetDim() + " but the data has " + inputDim + " and " + targetDim);
        }
        return model;
    }

    /** {@code s_0}: parameters from the seed, optimizer slots at zero. */
    public TrainState initialState() {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            List<NDArray> arrays = new ArrayList<>();
            List<Shape> shapes = model.parameterShapes();
            List<double[]> values = model.initialValues(config.seed());
            for (int j = 0; j < shapes.size(); j++) {
                arrays.add(Tensors.of(manager, values.get(j), shapes.get(j), config.precision()));
            }
            for (int s = 0; s < step.slotsPerParameter(); s++) {
                for (Shape shape : shapes) {
                    arrays.add(manager.zeros(shape, config.precision().dataType()));
                }
            }
            return new TrainState(manager, arrays, 0, store);
        }
    }

    /**
     * The inputs of step {@code t}, created in the current scope. Fresh arrays each call, so a
     * metaparameter may turn them into autograd leaves.
     */
    public StepInputs inputs(int t) {
        Batches.Batch b = batches.batch(t, manager, config.precision());
        NDArray lr = Tensors.scalar(manager, rates[t], config.precision());
        NDArray wd = decayed ? Tensors.scalar(manager, weightDecay, config.precision()) : null;
        return new StepInputs(t, b.rows(), b.x(), b.y(), b.w(), lr, wd);
    }

    /**
     * One step without recording: {@code s_{t+1} = h_t(s_t)}. The input state stays open.
     *
     * @throws TrainingDiverged when the step's parameters or loss show the run diverged ({@link DivergenceGuard})
     */
    public TrainState advance(TrainState state) {
        int t = state.step();
        try (NDScope scope = new NDScope(); GradMode off = GradMode.off()) {
            scope.suppressNotUsedWarning();
            StepInputs in = inputs(t);
            List<NDArray> next = step.apply(state.arrays(), in);
            guard.afterStep(t, state.arrays(), next, in, rates[t]);
            return new TrainState(manager, next, t + 1, store);
        }
    }

    /** Trains from {@code s_0} for all steps and returns {@code s_T}. */
    public TrainState train() {
        TrainState state = initialState();
        for (int t = 0; t < config.steps(); t++) {
            TrainState next = advance(state);
            state.close();
            state = next;
        }
        return state;
    }

    public TrainConfig config() {
        return config;
    }

    public Model model() {
        return model;
    }

    public TrainingStep step() {
        return step;
    }

    public NDManager manager() {
        return manager;
    }

    public StateStore store() {
        return store;
    }

    @Override
    public void close() {
        try {
            batches.close();
        } finally {
            manager.close();
        }
    }
}
