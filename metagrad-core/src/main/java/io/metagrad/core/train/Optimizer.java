package io.metagrad.core.train;

import io.metagrad.core.tensor.Scalars;
import ai.djl.ndarray.NDArray;
import io.metagrad.core.config.OptimizerSpec;
import io.metagrad.core.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One optimizer update as differentiable ops: {@code (θ, slots, g, lr, wd) → (θ', slots')}.
 * Every input may be an autograd leaf, so the reverse pass runs through the optimizer state; and
 * {@link #vjp} is the same derivative written by hand, for the reverse pass that records no graph.
 */
abstract sealed class Optimizer permits Optimizer.Sgd, Optimizer.Adam {

    static Optimizer of(OptimizerSpec spec) {
        if (spec instanceof OptimizerSpec.Sgd s) {
            return new Sgd(s);
        }
        return new Adam((OptimizerSpec.Adam) spec);
    }

    /** State arrays kept per parameter (0, 1 or 2). */
    abstract int slotsPerParameter();

    /** The next state: new parameters then new slots, in state order. */
    abstract List<NDArray> update(
            List<NDArray> params, List<NDArray> slots, List<NDArray> grads, NDArray lr, NDArray wd, int t);

    /**
     * What an update sends back from the adjoints of {@code (θ', slots')}: the adjoint of the raw
     * gradient {@code g} it read, of {@code θ} through the update itself (the model adds its Hessian
     * part), of the slots, and of the rate and the decay (null unless asked for).
     */
    record Adjoint(List<NDArray> gradient, List<NDArray> params, List<NDArray> slots, NDArray lr, NDArray wd) {}

    /**
     * The vector–Jacobian product of {@link #update}, as explicit ops. The step's gradient is not an
     * input: where the derivative needs it, it is recovered from the slots before and after the step
     * (a first moment is a known blend of the old one and the gradient), unless {@code recover} is
     * off; plain SGD's rate derivative, which has no slot to recover it from, computes it through
     * {@code gradient}.
     *
     * @param nextSlots the slots after the update (the state after the step holds them)
     */
    abstract Adjoint vjp(List<NDArray> params, List<NDArray> slots, List<NDArray> nextSlots,
            Supplier<List<NDArray>> gradient, boolean recover, NDArray lr, NDArray wd, int t,
            List<NDArray> paramsBar, List<NDArray> slotsBar, boolean wantLr, boolean wantWd);

    static NDArray withDecay(NDArray g, NDArray theta, NDArray wd) {
        return wd == null ? g : g.add(theta.mul(wd));
    }

    static final class Sgd extends Optimizer {
        private final OptimizerSpec.Sgd spec;

        Sgd(OptimizerSpec.Sgd spec) {
            this.spec = spec;
        }

        @Override
        int slotsPerParameter() {
            return spec.momentum() > 0 ? 1 : 0;
        }

        @Override
        List<NDArray> update(
                List<NDArray> params, List<NDArray> slots, List<NDArray> grads, NDArray lr, NDArray wd, int t) {
            int n = params.size();
            List<NDArray> next = new ArrayList<>(n * (1 + slotsPerParameter()));
            List<NDArray> nextSlots = new ArrayList<>(slots.size());
            NDArray mu = spec.momentum() > 0 ? Scalars.constant(params.get(0), spec.momentum()) : null;
            for (int j = 0; j < n; j++) {
                NDArray theta = params.get(j);
                NDArray g = withDecay(grads.get(j), theta, wd);
                NDArray direction = g;
                if (mu != null) {
                    NDArray m = slots.get(j).mul(mu).add(g);
                    nextSlots.add(m);
                    direction = spec.nesterov() ? g.add(m.mul(mu)) : m;
                }
                next.add(theta.sub(direction.mul(lr)));
            }
            next.addAll(nextSlots);
            return next;
        }

        @Override
        Adjoint vjp(List<NDArray> params, List<NDArray> slots, List<NDArray> nextSlots,
                Supplier<List<NDArray>> gradient, boolean recover, NDArray lr, NDArray wd, int t,
                List<NDArray> paramsBar, List<NDArray> slotsBar, boolean wantLr, boolean wantWd) {
            int n = params.size();
            NDArray mu = spec.momentum() > 0 ? Scalars.constant(params.get(0), spec.momentum()) : null;
            NDArray negLr = lr.neg();
            List<NDArray> gBar = new ArrayList<>(n);
            List<NDArray> pBar = new ArrayList<>(n);
            List<NDArray> sBar = new ArrayList<>(slots.size());
            for (int j = 0; j < n; j++) {
                NDArray thetaBar = paramsBar.get(j);
                NDArray directionBar = thetaBar.mul(negLr);
                NDArray decayedBar = directionBar;
                if (mu != null) {
                    // directionBar is this step's own array; without Nesterov it is needed only inside m̄
                    NDArray momentumBar = spec.nesterov()
                            ? slotsBar.get(j).add(directionBar.mul(mu))
                            : directionBar.addi(slotsBar.get(j));
                    decayedBar = spec.nesterov() ? directionBar.add(momentumBar) : momentumBar;
                    sBar.add(momentumBar.mul(mu));
                }
                gBar.add(decayedBar);
                pBar.add(wd == null ? thetaBar : thetaBar.add(decayedBar.mul(wd)));
            }
            NDArray lrBar = wantLr
                    ? Tensors.innerProduct(paramsBar, directions(params, slots, nextSlots, gradient, recover, wd)).neg()
                    : null;
            NDArray wdBar = wantWd ? Tensors.innerProduct(gBar, params) : null;
            return new Adjoint(gBar, pBar, sBar, lrBar, wdBar);
        }

        /** The update directions {@code d} of {@code θ' = θ − lr·d}. */
        private List<NDArray> directions(List<NDArray> params, List<NDArray> slots, List<NDArray> nextSlots,
                Supplier<List<NDArray>> gradient, boolean recover, NDArray wd) {
            double mu = spec.momentum();
            if (mu > 0 && !spec.nesterov()) {
                return nextSlots;
            }
            boolean fromSlots = mu > 0 && recover;
            List<NDArray> grads = fromSlots ? null : gradient.get();
            List<NDArray> d = new ArrayList<>(params.size());
            for (int j = 0; j < params.size(); j++) {
                if (!fromSlots && mu > 0) {
                    NDArray decayed = withDecay(grads.get(j), params.get(j), wd);
                    d.add(decayed.add(Scalars.times(nextSlots.get(j), mu)));
                } else if (fromSlots) {
                    NDArray decayed = nextSlots.get(j).sub(Scalars.times(slots.get(j), mu));
                    d.add(decayed.add(Scalars.times(nextSlots.get(j), mu)));
                } else {
                    d.add(withDecay(grads.get(j), params.get(j), wd));
                }
            }
            return d;
        }
    }

    static final class Adam extends Optimizer {
        private final OptimizerSpec.Adam spec;

        Adam(OptimizerSpec.Adam spec) {
            this.spec = spec;
        }

        @Override
        int slotsPerParameter() {
            return 2;
        }

        @Override
        List<NDArray> update(
                List<NDArray> params, List<NDArray> slots, List<NDArray> grads, NDArray lr, NDArray wd, int t) {
            int n = params.size();
            double firstCorrection = 1 - Math.pow(spec.beta1(), t + 1);
            double secondCorrection = 1 - Math.pow(spec.beta2(), t + 1);
            List<NDArray> thetas = new ArrayList<>(n);
            List<NDArray> firsts = new ArrayList<>(n);
            List<NDArray> seconds = new ArrayList<>(n);
            for (int j = 0; j < n; j++) {
                NDArray theta = params.get(j);
                NDArray g = spec.decoupled() ? grads.get(j) : withDecay(grads.get(j), theta, wd);
                NDArray m = Scalars.times(slots.get(j), spec.beta1()).add(Scalars.times(g, 1 - spec.beta1()));
                NDArray v = Scalars.times(slots.get(n + j), spec.beta2()).add(Scalars.times(g.square(), 1 - spec.beta2()));
                NDArray denominator = Scalars.plus(Scalars.plus(Scalars.over(v, secondCorrection), spec.epsRoot()).sqrt(), spec.eps());
                NDArray step = Scalars.over(m, firstCorrection).div(denominator);
                if (spec.decoupled() && wd != null) {
                    step = step.add(theta.mul(wd));
                }
                thetas.add(theta.sub(step.mul(lr)));
                firsts.add(m);
                seconds.add(v);
            }
            List<NDArray> next = new ArrayList<>(3 * n);
            next.addAll(thetas);
            next.addAll(firsts);
            next.addAll(seconds);
            return next;
        }

        @Override
        Adjoint vjp(List<NDArray> params, List<NDArray> slots, List<NDArray> nextSlots,
                Supplier<List<NDArray>> gradient, boolean recover, NDArray lr, NDArray wd, int t,
                List<NDArray> paramsBar, List<NDArray> slotsBar, boolean wantLr, boolean wantWd) {
            int n = params.size();
            double firstCorrection = 1 - Math.pow(spec.beta1(), t + 1);
            double secondCorrection = 1 - Math.pow(spec.beta2(), t + 1);
            boolean decoupledDecay = spec.decoupled() && wd != null;
            NDArray negLr = lr.neg();
            List<NDArray> gBar = new ArrayList<>(n);
            List<NDArray> pBar = new ArrayList<>(n);
            List<NDArray> firstBars = new ArrayList<>(n);
            List<NDArray> secondBars = new ArrayList<>(n);
            List<NDArray> steps = new ArrayList<>(n);
            List<NDArray> stepBars = new ArrayList<>(n);
            List<NDArray> recomputed = recover ? null : gradient.get();
            for (int j = 0; j < n; j++) {
                NDArray theta = params.get(j);
                NDArray m = nextSlots.get(j);
                NDArray v = nextSlots.get(n + j);
                NDArray root = Scalars.plus(Scalars.over(v, secondCorrection), spec.epsRoot()).sqrt();
                NDArray denominator = Scalars.plus(root, spec.eps());
                NDArray mHat = Scalars.over(m, firstCorrection);
                NDArray step = mHat.div(denominator);
                if (decoupledDecay) {
                    step = step.add(theta.mul(wd));
                }
                steps.add(step);
                NDArray stepBar = paramsBar.get(j).mul(negLr);
                stepBars.add(stepBar);
                NDArray mBar = slotsBar.get(j).add(Scalars.over(stepBar.div(denominator), firstCorrection));
                NDArray vBar = slotsBar.get(n + j).sub(Scalars.over(
                        stepBar.mul(mHat).div(denominator.square().mul(root)), 2 * secondCorrection));
                // the (decayed) gradient the step read: recovered from m' = β1·m + (1 − β1)·g, or recomputed
                NDArray g = recover
                        ? Scalars.over(m.sub(Scalars.times(slots.get(j), spec.beta1())), 1 - spec.beta1())
                        : spec.decoupled() ? recomputed.get(j) : withDecay(recomputed.get(j), theta, wd);
                NDArray decayedBar = Scalars.times(mBar, 1 - spec.beta1())
                        .add(Scalars.times(g.mul(vBar), 2 * (1 - spec.beta2())));
                gBar.add(decayedBar);
                firstBars.add(Scalars.times(mBar, spec.beta1()));
                secondBars.add(Scalars.times(vBar, spec.beta2()));
                NDArray thetaBar = paramsBar.get(j);
                if (wd != null) {
                    thetaBar = thetaBar.add((decoupledDecay ? stepBar : decayedBar).mul(wd));
                }
                pBar.add(thetaBar);
            }
            List<NDArray> sBar = new ArrayList<>(2 * n);
            sBar.addAll(firstBars);
            sBar.addAll(secondBars);
            NDArray lrBar = wantLr ? Tensors.innerProduct(paramsBar, steps).neg() : null;
            NDArray wdBar = wantWd ? Tensors.innerProduct(decoupledDecay ? stepBars : gBar, params) : null;
            return new Adjoint(gBar, pBar, sBar, lrBar, wdBar);
        }
    }
}
