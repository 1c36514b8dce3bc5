package io.metagrad.core.config;

/** The optimizer and its constants. The learning rate comes from the {@link Schedule}. */
public sealed interface OptimizerSpec permits OptimizerSpec.Sgd, OptimizerSpec.Adam {

    /** Weight decay {@code λ}. */
    double weightDecay();

    /**
     * SGD with momentum (PyTorch's convention, dampening 0): {@code m ← μm + g};
     * {@code θ ← θ − lr·(g + μm)} with Nesterov, else {@code θ ← θ − lr·m}. Weight decay is
     * coupled ({@code g ← g + λθ}).
     *
     * @param momentum {@code μ} in [0, 1); 0 keeps no momentum state
     * @param nesterov Nesterov momentum
     * @param weightDecay {@code λ ≥ 0}
     */
    record Sgd(double momentum, boolean nesterov, double weightDecay) implements OptimizerSpec {
        public Sgd {
            Checks.inUnitInterval("sgd.momentum", momentum);
            Checks.nonNegativeFinite("sgd.weightDecay", weightDecay);
            if (nesterov && momentum == 0) {
                throw new IllegalArgumentException("sgd.nesterov needs sgd.momentum > 0");
            }
        }

        /** Plain SGD. */
        public static Sgd plain() {
            return new Sgd(0, false, 0);
        }

        /** SGD with heavy-ball momentum. */
        public static Sgd momentum(double momentum) {
            return new Sgd(momentum, false, 0);
        }
    }

    /**
     * Adam / AdamW: {@code m ← β1 m + (1−β1) g}, {@code v ← β2 v + (1−β2) g²},
     * {@code θ ← θ − lr·m̂ / (sqrt(v̂ + epsRoot) + eps)}. {@code epsRoot > 0} keeps the reverse pass
     * stable (the derivative of the square root at {@code v = 0} is infinite otherwise).
     *
     * @param beta1 first-moment decay in [0, 1)
     * @param beta2 second-moment decay in [0, 1)
     * @param eps added outside the square root
     * @param epsRoot added inside the square root; must be > 0 to differentiate the run
     * @param weightDecay {@code λ ≥ 0}
     * @param decoupled AdamW ({@code θ ← θ(1 − lr·λ)}) rather than coupled ({@code g ← g + λθ})
     */
    record Adam(double beta1, double beta2, double eps, double epsRoot, double weightDecay, boolean decoupled)
            implements OptimizerSpec {
        public Adam {
            Checks.inUnitInterval("adam.beta1", beta1);
            Checks.inUnitInterval("adam.beta2", beta2);
            Checks.nonNegativeFinite("adam.eps", eps);
            Checks.nonNegativeFinite("adam.epsRoot", epsRoot);
            Checks.nonNegativeFinite("adam.weightDecay", weightDecay);
        }

        /** Adam with the usual constants and {@code epsRoot = 1e-8}. */
        public static Adam defaults() {
            return new Adam(0.9, 0.999, 1e-8, 1e-8, 0, false);
        }
    }
}
