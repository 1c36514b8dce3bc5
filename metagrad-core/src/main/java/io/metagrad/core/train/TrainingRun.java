package io.metagrad.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.BatchOrder;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.meta.Metaparameter;
import io.metagrad.core.meta.RunInputs;
import io.metagrad.core.model.Model;
import io.metagrad.core.replay.StateStore;
import io.metagrad.core.tensor.GradMode;
import io.metagrad.core.tensor.Precision;
import io.metagrad.core.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;

/**
 * One deterministic training routine {@code A(z)} bound to its data: the tensors of the
 * (possibly poisoned) examples, their weights, the per-step rates and decay, the batch order and
 * the step function. Owns its native memory; close it when done.
 */
public final class TrainingRun implements AutoCloseable {

    private final TrainConfig config;
    private final Metaparameter metaparameter;
    private final NDManager manager;
    private final Model model;
    private final TrainingStep step;
    private final BatchOrder order;
    private final NDArray features;
    private final NDArray targets;
    private final NDArray weights;
    private final double[] rates;
    private final double weightDecay;
    private final boolean decayed;
    private final StateStore store;
    private final DivergenceGuard guard;

    public TrainingRun(TrainConfig config, TrainingData data, Metaparameter metaparameter, NDManager parent, StateStore store) {
        metaparameter.validate(config, data);
        this.config = config;
        this.metaparameter = metaparameter;
        this.model = config.model().build();
        if (model.inputDim() != data.inputDim() || model.targetDim() != data.targetDim()) {
            throw new IllegalArgumentException(
                    "the model expects inputs of width " + model.inputDim() + " and targets of width "
                            + model.targetDim() + " but the data has " + data.inputDim() + " and " + data.targetDim());
        }
        this.step = new TrainingStep(model, config);
        this.order = new BatchOrder(config.seed(), data.size(), config.batchSize());
        this.store = store;
        RunInputs inputs = metaparameter.apply(RunInputs.of(config, data));
        Precision p = config.precision();
        this.manager = parent.newSubManager();
        TrainingData d = inputs.data();
        this.features = Tensors.of(manager, d.features(), new Shape(d.size(), d.inputDim()), p);
        this.targets = Tensors.of(manager, d.targets(), new Shape(d.size(), d.targetDim()), p);
        this.weights = Tensors.of(manager, inputs.exampleWeights(), new Shape(d.size()), p);
        this.rates = inputs.learningRates();
        this.weightDecay = inputs.weightDecay();
        this.decayed = inputs.decayed();
        this.guard = new DivergenceGuard(model, config, step.parameterCount());
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
        int[] batch = order.batch(t);
        long[] index = new long[batch.length];
        for (int i = 0; i < batch.length; i++) {
            index[i] = batch[i];
        }
        NDArray rows = Tensors.indices(manager, index);
        NDIndex select = new NDIndex("{}", rows);
        NDArray lr = Tensors.scalar(manager, rates[t], config.precision());
        NDArray wd = decayed ? Tensors.scalar(manager, weightDecay, config.precision()) : null;
        return new StepInputs(t, batch, features.get(select), targets.get(select), weights.get(select), lr, wd);
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

    public Metaparameter metaparameter() {
        return metaparameter;
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
        manager.close();
    }
}
