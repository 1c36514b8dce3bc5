package io.metagrad.core.train;

import io.metagrad.core.tensor.Scalars;
import ai.djl.ndarray.NDArray;
import io.metagrad.core.config.OptimizerSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * One optimizer update as differentiable ops: {@code (θ, slots, g, lr, wd) → (θ', slots')}.
 * Every input may be an autograd leaf, so the reverse pass runs through the optimizer state.
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
            for (int j = 0; j < n; j++) {
                NDArray theta = params.get(j);
                NDArray g = withDecay(grads.get(j), theta, wd);
                NDArray direction = g;
                if (spec.momentum() > 0) {
                    NDArray m = Scalars.times(slots.get(j), spec.momentum()).add(g);
                    nextSlots.add(m);
                    direction = spec.nesterov() ? g.add(Scalars.times(m, spec.momentum())) : m;
                }
                next.add(theta.sub(direction.mul(lr)));
            }
            next.addAll(nextSlots);
            return next;
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
    }
}
