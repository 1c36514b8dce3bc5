package io.metagrad.core.train;

import io.metagrad.core.tensor.Scalars;
import ai.djl.ndarray.NDArray;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.model.Model;
import io.metagrad.core.model.SecondOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One training step {@code s_{t+1} = h_t(s_t, z)}: the model's hand-written gradient, optional
 * global-norm clipping, then the optimizer update. Pure: the same inputs give the same bits.
 */
public final class TrainingStep {

    private final Model model;
    private final Optimizer optimizer;
    private final double clipNorm;
    private final int parameterCount;
    /** The hand-written VJP, where the model has a second order and nothing (clipping) breaks it. */
    private final StepVjp vjp;

    public TrainingStep(Model model, TrainConfig config) {
        this.model = model;
        this.optimizer = Optimizer.of(config.optimizer());
        this.clipNorm = config.gradClipNorm();
        this.parameterCount = model.parameterShapes().size();
        this.vjp = clipNorm > 0 ? null
                : model.secondOrder().map(m -> new StepVjp(m, optimizer, parameterCount)).orElse(null);
    }

    /** The next state's arrays, in state order. */
    public List<NDArray> apply(List<NDArray> state, StepInputs in) {
        List<NDArray> params = state.subList(0, parameterCount);
        List<NDArray> slots = state.subList(parameterCount, state.size());
        List<NDArray> grads = model.gradient(params, in.x(), in.y(), in.w());
        if (clipNorm > 0) {
            grads = clip(grads);
        }
        return optimizer.update(params, slots, grads, in.lr(), in.wd(), in.step());
    }

    /** The next state's arrays and the tape of the step's gradient, for a reverse step that reuses it. */
    public record Taped(List<NDArray> next, SecondOrder.Tape tape) {}

    /**
     * {@link #apply}, keeping the gradient's tape: the same ops, so the same bits. Only for steps with
     * an {@link #explicitVjp()}.
     */
    public Taped applyTaped(List<NDArray> state, StepInputs in) {
        SecondOrder second = model.secondOrder().orElseThrow();
        if (vjp == null) {
            throw new IllegalStateException("this step has no hand-written VJP to keep a tape for");
        }
        List<NDArray> params = state.subList(0, parameterCount);
        SecondOrder.Tape tape = second.tape(params, in.x(), in.y(), in.w());
        List<NDArray> grads = second.gradient(tape);
        return new Taped(optimizer.update(params, state.subList(parameterCount, state.size()), grads, in.lr(), in.wd(),
                in.step()), tape);
    }

    /** The step's vector–Jacobian product as explicit ops, where it is written (see {@link StepVjp}). */
    public Optional<StepVjp> explicitVjp() {
        return Optional.ofNullable(vjp);
    }

    /** {@code g · min(1, c/‖g‖)} over all parameters together. */
    private List<NDArray> clip(List<NDArray> grads) {
        NDArray squared = null;
        for (NDArray g : grads) {
            NDArray s = g.square().sum();
            squared = squared == null ? s : squared.add(s);
        }
        NDArray factor = Scalars.atMost(Scalars.constant(squared, clipNorm).div(squared.sqrt()), 1);
        List<NDArray> clipped = new ArrayList<>(grads.size());
        for (NDArray g : grads) {
            clipped.add(g.mul(factor));
        }
        return clipped;
    }

    /** Number of optimizer arrays per parameter. */
    public int slotsPerParameter() {
        return optimizer.slotsPerParameter();
    }

    public int parameterCount() {
        return parameterCount;
    }

    public Model model() {
        return model;
    }
}
