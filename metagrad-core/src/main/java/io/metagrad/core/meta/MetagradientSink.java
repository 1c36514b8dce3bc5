package io.metagrad.core.meta;

import io.metagrad.core.tensor.Tensors;
import io.metagrad.core.train.InputGradients;
import io.metagrad.core.train.StepInputs;

/**
 * Where the reverse pass sends each step's contribution {@code ∂⟨ā_q, h_t⟩/∂z} to the
 * metagradient of output {@code q}: summed into dense vectors ({@link Dense}), or handed on per
 * step ({@link StreamedWeights}) so that no vector of pool size need exist.
 */
public interface MetagradientSink {

    /**
     * Makes the step inputs that depend on {@code z} require gradients: the reverse step then
     * differentiates with respect to exactly those.
     */
    void markLeaves(StepInputs in);

    /** Takes step {@code in.step()}'s contribution to output {@code output}, from the marked inputs' derivatives. */
    void accumulate(int output, StepInputs in, InputGradients gradients);

    /** The metagradient of every output summed into one vector each, {@code [Q][dim z]}. */
    final class Dense implements MetagradientSink {
        private final Metaparameter metaparameter;
        private final double[][] zBar;

        public Dense(Metaparameter metaparameter, int outputs) {
            this.metaparameter = metaparameter;
            this.zBar = new double[outputs][metaparameter.value().length];
        }

        @Override
        public void markLeaves(StepInputs in) {
            metaparameter.markLeaves(in);
        }

        @Override
        public void accumulate(int output, StepInputs in, InputGradients gradients) {
            metaparameter.accumulate(in, gradients, zBar[output]);
        }

        /** The sums, {@code [Q][dim z]} (not a copy). */
        public double[][] values() {
            return zBar;
        }
    }

    /**
     * The metagradients with respect to the weights of the examples a streamed run trains on, handed
     * to {@code listener} step by step (last step first, as the reverse pass goes): one value per
     * batch slot, under the example's id. An example seen in several epochs is reported once per
     * step it appears in; summing its values in the order they arrive gives what {@link Dense} would.
     */
    final class StreamedWeights implements MetagradientSink {

        /** Receives one step's contributions. */
        @FunctionalInterface
        public interface Listener {
            void accept(int output, int step, int[] rows, double[] gradient);
        }

        private final Listener listener;

        public StreamedWeights(Listener listener) {
            this.listener = listener;
        }

        @Override
        public void markLeaves(StepInputs in) {
            in.w().setRequiresGradient(true);
        }

        @Override
        public void accumulate(int output, StepInputs in, InputGradients gradients) {
            listener.accept(output, in.step(), in.batch(), Tensors.toDoubles(gradients.w()));
        }
    }
}
