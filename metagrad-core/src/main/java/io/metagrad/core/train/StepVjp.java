package io.metagrad.core.train;

import ai.djl.ndarray.NDArray;
import io.metagrad.core.model.SecondOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The vector–Jacobian product of one training step written as explicit ops: the optimizer's
 * derivative by hand ({@link Optimizer#vjp}), then the model's gradient differentiated
 * forward-over-reverse ({@link SecondOrder#gradientVjp}). No autograd graph is recorded, and the
 * step's activations come from a tape its replay kept (or are recomputed, bit for bit the same).
 *
 * <p>Exists for models with a hand-written second order and steps without gradient clipping; other
 * steps are differentiated through their recorded graph.
 */
public final class StepVjp {

    private final SecondOrder model;
    private final Optimizer optimizer;
    private final int parameterCount;
    private final boolean recoverGradient;

    StepVjp(SecondOrder model, Optimizer optimizer, int parameterCount) {
        this(model, optimizer, parameterCount, true);
    }

    private StepVjp(SecondOrder model, Optimizer optimizer, int parameterCount, boolean recoverGradient) {
        this.model = model;
        this.optimizer = optimizer;
        this.parameterCount = parameterCount;
        this.recoverGradient = recoverGradient;
    }

    /**
     * The same VJP recomputing the step's gradient from its tape wherever this one recovers it from
     * the optimizer's slots (benchmarks measure what the recovery saves).
     */
    public StepVjp recomputingGradient() {
        return new StepVjp(model, optimizer, parameterCount, false);
    }

    /** The adjoint {@code s̄_t} (parameters, then slots) and the derivatives with respect to the step inputs. */
    public record Result(List<NDArray> stateBar, InputGradients inputs) {}

    /** The tape of step {@code in.step()} from the state before it: what a replay would have kept. */
    public SecondOrder.Tape tape(List<NDArray> before, StepInputs in) {
        return model.tape(before.subList(0, parameterCount), in.x(), in.y(), in.w());
    }

    /**
     * {@code s̄_t} from {@code s̄_{t+1}}, and the derivatives with respect to the inputs that require
     * gradients (those a metagradient sink marked).
     *
     * @param before the state {@code s_t}
     * @param after the state {@code s_{t+1}} (its slots carry the step's gradient)
     * @param tape the step's tape at {@code s_t}
     */
    public Result apply(List<NDArray> before, List<NDArray> after, StepInputs in, SecondOrder.Tape tape,
            List<NDArray> afterBar) {
        List<NDArray> params = before.subList(0, parameterCount);
        boolean wantWd = in.wd() != null && in.wd().hasGradient();
        Optimizer.Adjoint update = optimizer.vjp(params, before.subList(parameterCount, before.size()),
                after.subList(parameterCount, after.size()), () -> model.gradient(tape), recoverGradient, in.lr(), in.wd(),
                in.step(),
                afterBar.subList(0, parameterCount), afterBar.subList(parameterCount, afterBar.size()),
                in.lr().hasGradient(), wantWd);
        SecondOrder.Wanted wanted = new SecondOrder.Wanted(in.x().hasGradient(), in.y().hasGradient(), in.w().hasGradient());
        SecondOrder.Vjp curvature = model.gradientVjp(tape, params, update.gradient(), wanted);
        List<NDArray> stateBar = new ArrayList<>(before.size());
        for (int j = 0; j < parameterCount; j++) {
            // the curvature's arrays are this step's own: sum into them rather than into new ones
            stateBar.add(curvature.params().get(j).addi(update.params().get(j)));
        }
        stateBar.addAll(update.slots());
        return new Result(stateBar, new InputGradients(curvature.x(), curvature.y(), curvature.w(), update.lr(), update.wd()));
    }
}
