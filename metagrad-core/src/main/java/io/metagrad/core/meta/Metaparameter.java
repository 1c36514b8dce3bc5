package io.metagrad.core.meta;

import ai.djl.ndarray.NDArray;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.tensor.Tensors;
import io.metagrad.core.train.InputGradients;
import io.metagrad.core.train.StepInputs;
import java.util.Arrays;
import java.util.List;

/**
 * The part {@code z} of the training setup that a metagradient is taken with respect to. Each kind
 * says how its value enters the run ({@link #apply}), which step inputs become autograd leaves in
 * the reverse pass ({@link #markLeaves}) and how their gradients add up into {@code z̄}
 * ({@link #accumulate}).
 */
public sealed interface Metaparameter
        permits Metaparameter.DataWeights,
                Metaparameter.PoisonedInputs,
                Metaparameter.LearningRates,
                Metaparameter.WeightDecay,
                Metaparameter.Joint {

    /** The current value {@code z}, flattened. */
    double[] value();

    /** A metaparameter of the same kind at another value (for finite differences and MGD steps). */
    Metaparameter withValue(double[] z);

    /** Checks that {@code z} fits this run; the message names the mismatch. */
    void validate(TrainConfig config, TrainingData data);

    /** The run's inputs with {@code z} put in place. */
    RunInputs apply(RunInputs base);

    /** Makes the step inputs that depend on {@code z} require gradients. */
    void markLeaves(StepInputs in);

    /**
     * Adds step {@code in.step()}'s contribution {@code ∂⟨ā, h_t⟩/∂z} to {@code zBar}, from the
     * derivatives {@code g} with respect to the inputs {@link #markLeaves} marked.
     */
    void accumulate(StepInputs in, InputGradients g, double[] zBar);

    /**
     * Per-example data weights {@code w ∈ R^n} (integer counts are weights too): example {@code i}'s
     * loss is multiplied by {@code w_i}. With {@code w = 1} the metagradient is the exact influence.
     */
    record DataWeights(double[] weights) implements Metaparameter {
        public DataWeights {
            weights = weights.clone();
            for (int i = 0; i < weights.length; i++) {
                if (!Double.isFinite(weights[i])) {
                    throw new IllegalArgumentException("weights[" + i + "] = " + weights[i] + "; must be finite");
                }
            }
        }

        /** Weight 1 for each of {@code n} examples. */
        public static DataWeights ones(int n) {
            double[] w = new double[n];
            Arrays.fill(w, 1.0);
            return new DataWeights(w);
        }

        /** Integer multiplicities as weights. */
        public static DataWeights counts(int[] counts) {
            double[] w = new double[counts.length];
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] < 0) {
                    throw new IllegalArgumentException("counts[" + i + "] = " + counts[i] + "; must be >= 0");
                }
                w[i] = counts[i];
            }
            return new DataWeights(w);
        }

        @Override
        public double[] value() {
            return weights.clone();
        }

        @Override
        public DataWeights withValue(double[] z) {
            return new DataWeights(z);
        }

        @Override
        public void validate(TrainConfig config, TrainingData data) {
            if (weights.length != data.size()) {
                throw new IllegalArgumentException(
                        "data weights have " + weights.length + " entries but the data has " + data.size() + " examples");
            }
        }

        @Override
        public RunInputs apply(RunInputs base) {
            return new RunInputs(base.data(), weights, base.learningRates(), base.weightDecay(), base.decayed());
        }

        @Override
        public void markLeaves(StepInputs in) {
            in.w().setRequiresGradient(true);
        }

        @Override
        public void accumulate(StepInputs in, InputGradients g, double[] zBar) {
            double[] gw = Tensors.toDoubles(g.w());
            int[] batch = in.batch();
            for (int i = 0; i < batch.length; i++) {
                zBar[batch[i]] += gw[i];
            }
        }
    }

    /**
     * The features and/or targets (soft labels) of a chosen subset of examples, for poisoning. The
     * value is the subset's feature rows (if {@code features}) followed by its target rows (if
     * {@code targets}), row-major.
     */
    record PoisonedInputs(int[] rows, boolean features, boolean targets, double[] values, int inputDim, int targetDim)
            implements Metaparameter {
        public PoisonedInputs {
            rows = rows.clone();
            values = values.clone();
            if (!features && !targets) {
                throw new IllegalArgumentException("poisoned inputs must include features, targets or both");
            }
            if (Arrays.stream(rows).distinct().count() != rows.length) {
                throw new IllegalArgumentException("poisoned rows must be distinct: " + Arrays.toString(rows));
            }
            int expected = rows.length * ((features ? inputDim : 0) + (targets ? targetDim : 0));
            if (values.length != expected) {
                throw new IllegalArgumentException(
                        "poisoned values have " + values.length + " entries; expected " + expected);
            }
        }

        /** The subset's current features and/or targets as the starting value. */
        public static PoisonedInputs of(TrainingData data, int[] rows, boolean features, boolean targets) {
            double[] f = features ? data.featureRows(rows) : new double[0];
            double[] t = targets ? data.targetRows(rows) : new double[0];
            double[] v = new double[f.length + t.length];
            System.arraycopy(f, 0, v, 0, f.length);
            System.arraycopy(t, 0, v, f.length, t.length);
            return new PoisonedInputs(rows, features, targets, v, data.inputDim(), data.targetDim());
        }

        @Override
        public double[] value() {
            return values.clone();
        }

        @Override
        public int[] rows() {
            return rows.clone();
        }

        @Override
        public PoisonedInputs withValue(double[] z) {
            return new PoisonedInputs(rows, features, targets, z, inputDim, targetDim);
        }

        private int featureLength() {
            return features ? rows.length * inputDim : 0;
        }

        @Override
        public void validate(TrainConfig config, TrainingData data) {
            if (data.inputDim() != inputDim || data.targetDim() != targetDim) {
                throw new IllegalArgumentException("poisoned inputs were built for other data dimensions");
            }
            for (int r : rows) {
                if (r < 0 || r >= data.size()) {
                    throw new IllegalArgumentException("poisoned row " + r + " is outside the data (size " + data.size() + ")");
                }
            }
        }

        @Override
        public RunInputs apply(RunInputs base) {
            double[] f = features ? Arrays.copyOfRange(values, 0, featureLength()) : null;
            double[] t = targets ? Arrays.copyOfRange(values, featureLength(), values.length) : null;
            TrainingData poisoned = base.data().withRows(rows, f, t);
            return new RunInputs(poisoned, base.exampleWeights(), base.learningRates(), base.weightDecay(), base.decayed());
        }

        @Override
        public void markLeaves(StepInputs in) {
            if (features) {
                in.x().setRequiresGradient(true);
            }
            if (targets) {
                in.y().setRequiresGradient(true);
            }
        }

        @Override
        public void accumulate(StepInputs in, InputGradients g, double[] zBar) {
            int[] position = positions(in.batch());
            if (features) {
                addRows(Tensors.toDoubles(g.x()), inputDim, position, 0, zBar);
            }
            if (targets) {
                addRows(Tensors.toDoubles(g.y()), targetDim, position, featureLength(), zBar);
            }
        }

        /** For each batch slot, the poisoned row's position in {@code rows}, or -1. */
        private int[] positions(int[] batch) {
            int[] position = new int[batch.length];
            for (int i = 0; i < batch.length; i++) {
                position[i] = -1;
                for (int r = 0; r < rows.length; r++) {
                    if (rows[r] == batch[i]) {
                        position[i] = r;
                        break;
                    }
                }
            }
            return position;
        }

        private static void addRows(double[] grad, int width, int[] position, int offset, double[] zBar) {
            for (int i = 0; i < position.length; i++) {
                if (position[i] >= 0) {
                    for (int j = 0; j < width; j++) {
                        zBar[offset + position[i] * width + j] += grad[i * width + j];
                    }
                }
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PoisonedInputs p && Arrays.equals(rows, p.rows) && features == p.features
                    && targets == p.targets && Arrays.equals(values, p.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(rows) * 31 + Arrays.hashCode(values);
        }
    }

    /** The learning rate of every step, {@code z ∈ R^T} (replaces the schedule). */
    record LearningRates(double[] rates) implements Metaparameter {
        public LearningRates {
            rates = rates.clone();
        }

        /** The config's schedule as the starting value. */
        public static LearningRates of(TrainConfig config) {
            return new LearningRates(config.schedule().rates(config.steps()));
        }

        @Override
        public double[] value() {
            return rates.clone();
        }

        @Override
        public LearningRates withValue(double[] z) {
            return new LearningRates(z);
        }

        @Override
        public void validate(TrainConfig config, TrainingData data) {
            if (rates.length != config.steps()) {
                throw new IllegalArgumentException(
                        "learning rates have " + rates.length + " entries but train.steps = " + config.steps());
            }
        }

        @Override
        public RunInputs apply(RunInputs base) {
            return new RunInputs(base.data(), base.exampleWeights(), rates, base.weightDecay(), base.decayed());
        }

        @Override
        public void markLeaves(StepInputs in) {
            in.lr().setRequiresGradient(true);
        }

        @Override
        public void accumulate(StepInputs in, InputGradients g, double[] zBar) {
            zBar[in.step()] += Tensors.toDouble(g.lr());
        }
    }

    /** The weight decay {@code λ}, one value for the whole run. */
    record WeightDecay(double lambda) implements Metaparameter {
        public WeightDecay {
            if (!Double.isFinite(lambda)) {
                throw new IllegalArgumentException("weight decay = " + lambda + "; must be finite");
            }
        }

        @Override
        public double[] value() {
            return new double[] {lambda};
        }

        @Override
        public WeightDecay withValue(double[] z) {
            if (z.length != 1) {
                throw new IllegalArgumentException("weight decay takes one value, got " + z.length);
            }
            return new WeightDecay(z[0]);
        }

        @Override
        public void validate(TrainConfig config, TrainingData data) {
            // any finite λ fits any run
        }

        @Override
        public RunInputs apply(RunInputs base) {
            return new RunInputs(base.data(), base.exampleWeights(), base.learningRates(), lambda, true);
        }

        @Override
        public void markLeaves(StepInputs in) {
            in.wd().setRequiresGradient(true);
        }

        @Override
        public void accumulate(StepInputs in, InputGradients g, double[] zBar) {
            zBar[0] += Tensors.toDouble(g.wd());
        }
    }

    /**
     * Several metaparameters of different kinds at once (e.g. the learning rates and the weight
     * decay), so that one reverse pass yields all their metagradients. The value is the parts'
     * values one after the other, in the order given. Parts must not replace the same run input.
     */
    record Joint(List<Metaparameter> parts) implements Metaparameter {
        public Joint {
            parts = List.copyOf(parts);
            if (parts.size() < 2) {
                throw new IllegalArgumentException("a joint metaparameter needs at least two parts, got " + parts.size());
            }
            java.util.Set<Class<?>> kinds = new java.util.HashSet<>();
            for (Metaparameter p : parts) {
                if (p instanceof Joint || !kinds.add(p.getClass())) {
                    throw new IllegalArgumentException("joint metaparameter parts must be of distinct, non-joint kinds: " + parts);
                }
            }
        }

        @Override
        public double[] value() {
            double[] all = new double[length()];
            int at = 0;
            for (Metaparameter p : parts) {
                double[] v = p.value();
                System.arraycopy(v, 0, all, at, v.length);
                at += v.length;
            }
            return all;
        }

        /** The number of values over all parts. */
        private int length() {
            int n = 0;
            for (Metaparameter p : parts) {
                n += p.value().length;
            }
            return n;
        }

        @Override
        public Joint withValue(double[] z) {
            if (z.length != length()) {
                throw new IllegalArgumentException("joint metaparameter takes " + length() + " values, got " + z.length);
            }
            List<Metaparameter> moved = new java.util.ArrayList<>(parts.size());
            int at = 0;
            for (Metaparameter p : parts) {
                int n = p.value().length;
                moved.add(p.withValue(Arrays.copyOfRange(z, at, at + n)));
                at += n;
            }
            return new Joint(moved);
        }

        @Override
        public void validate(TrainConfig config, TrainingData data) {
            for (Metaparameter p : parts) {
                p.validate(config, data);
            }
        }

        @Override
        public RunInputs apply(RunInputs base) {
            RunInputs in = base;
            for (Metaparameter p : parts) {
                in = p.apply(in);
            }
            return in;
        }

        @Override
        public void markLeaves(StepInputs in) {
            for (Metaparameter p : parts) {
                p.markLeaves(in);
            }
        }

        @Override
        public void accumulate(StepInputs in, InputGradients g, double[] zBar) {
            int at = 0;
            for (Metaparameter p : parts) {
                double[] part = new double[p.value().length];
                p.accumulate(in, g, part);
                for (int j = 0; j < part.length; j++) {
                    zBar[at + j] += part[j];
                }
                at += part.length;
            }
        }
    }
}
