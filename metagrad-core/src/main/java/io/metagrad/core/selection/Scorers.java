package io.metagrad.core.selection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.metagrad.core.attribution.PerExampleGradients;
import io.metagrad.core.config.OptimizerSpec;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.meta.Metaparameter;
import io.metagrad.core.mgd.MetagradientProblem;
import io.metagrad.core.mgd.Metagradients;
import io.metagrad.core.model.ClipHeadModel;
import io.metagrad.core.model.Model;
import io.metagrad.core.output.OutputFunction;
import io.metagrad.core.output.OutputGradients;
import io.metagrad.core.tensor.Engines;
import io.metagrad.core.tensor.GradMode;
import io.metagrad.core.tensor.Precision;
import io.metagrad.core.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The baseline data-selection scores (issue: selection that beats the alternatives). Every score
 * is "higher = keep"; {@link Budget} turns scores into a subset.
 */
public final class Scorers {

    private Scorers() {}

    /** Uniform random scores from the task's seed. */
    public static double[] random(SelectionTask task) {
        Random r = new Random(task.seed());
        double[] s = new double[task.pool().size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = r.nextDouble();
        }
        return s;
    }

    /**
     * Score {@code i} of {@link #random}: the {@code i}-th {@code nextDouble()} of {@code new Random(seed)},
     * found by jumping the generator's linear congruence ahead {@code 2i} draws (each double takes two),
     * so that any part of a pool is scored on its own exactly as the whole pool is scored in order.
     */
    public static double uniform(long seed, long i) {
        long state = jump((seed ^ LCG_MULTIPLIER) & LCG_MASK, 2 * i);
        state = (state * LCG_MULTIPLIER + LCG_INCREMENT) & LCG_MASK;
        long high = state >>> (48 - 26);
        state = (state * LCG_MULTIPLIER + LCG_INCREMENT) & LCG_MASK;
        long low = state >>> (48 - 27);
        return ((high << 27) + low) * 0x1.0p-53;
    }

    /** {@code java.util.Random}'s congruence (JLS / its javadoc): {@code s ← (a·s + c) mod 2^48}. */
    private static final long LCG_MULTIPLIER = 0x5DEECE66DL;
    private static final long LCG_INCREMENT = 0xBL;
    private static final long LCG_MASK = (1L << 48) - 1;

    /** The state {@code steps} draws after {@code state}, by squaring the affine map (O(log steps)). */
    private static long jump(long state, long steps) {
        long a = LCG_MULTIPLIER;
        long c = LCG_INCREMENT;
        for (long k = steps; k > 0; k >>>= 1) {
            if ((k & 1) != 0) {
                state = (a * state + c) & LCG_MASK;
            }
            c = ((a + 1) * c) & LCG_MASK;
            a = (a * a) & LCG_MASK;
        }
        return state;
    }

    /**
     * {@code loss}: minus each example's loss under a reference model trained on the target split.
     * For the CLIP head the loss is the pair's contrastive loss within chunks of a training batch.
     */
    public static double[] loss(SelectionTask task) {
        List<double[]> reference = referenceModel(task);
        return perExample(task, reference, Scorers::lossStatistic);
    }

    /**
     * {@link #loss}'s scores of {@code rows}, consecutive pool examples that {@link #scoringChunk} keeps
     * together, at the {@code reference} model ({@link #referenceModel(TrainConfig, TrainingData)}).
     */
    public static double[] lossOf(TrainConfig config, List<double[]> reference, TrainingData rows) {
        return statistic(config, reference, rows, rows.size(), Scorers::lossStatistic);
    }

    /** {@link #referenceAgreement}'s scores of {@code rows}, as {@link #lossOf}. */
    public static double[] referenceAgreementOf(TrainConfig config, List<double[]> reference, TrainingData rows) {
        return statistic(config, reference, rows, rows.size(), Scorers::agreementStatistic);
    }

    /**
     * How many consecutive pool examples (from example 0 on) {@link #loss} and {@link #referenceAgreement}
     * score as one batch: a training batch for the CLIP head (in-batch negatives), else 1 — a
     * classifier's example is scored alone, whatever batch it is in.
     */
    public static int scoringChunk(TrainConfig config) {
        return config.model().build() instanceof ClipHeadModel ? config.batchSize() : 1;
    }

    private static NDArray lossStatistic(Model model, List<NDArray> params, NDArray x, NDArray y) {
        return model.losses(params, x, y).neg();
    }

    private static NDArray agreementStatistic(Model model, List<NDArray> params, NDArray x, NDArray y) {
        if (model instanceof ClipHeadModel clip) {
            return clip.embedImages(params, x).mul(clip.embedTexts(params, y)).sum(new int[] {1});
        }
        return model.logits(params, x).softmax(1).mul(y).sum(new int[] {1});
    }

    /**
     * {@code clip-score} / reference agreement: for the CLIP head, the cosine of the pair's
     * projections under a reference head trained on the clean target split; for classifiers, the
     * reference model's probability of the given label ({@code exp(−ℓ_i)} for one-hot labels).
     */
    public static double[] referenceAgreement(SelectionTask task) {
        List<double[]> reference = referenceModel(task);
        return perExample(task, reference, Scorers::agreementStatistic);
    }

    /**
     * {@code influence} (one step, TRAK-like without projection): {@code ⟨∇ℓ_i, ∇L_target⟩} at the
     * model trained on the whole pool, which is how much one gradient step on example {@code i}
     * lowers the target loss ({@code L(θ − η∇ℓ_i) ≈ L(θ) − η⟨∇ℓ_i, ∇L⟩}).
     */
    public static double[] influence(SelectionTask task) {
        List<double[]> trained = Metagradients.train(poolProblem(task, task.config()));
        try (Alignment alignment = Alignment.influence(task.config(), trained, task.targets())) {
            return alignment.score(task.pool());
        }
    }

    /**
     * {@code grad-sim} (LESS-style): cosine between each example's gradient and the mean target
     * gradient, averaged over {@code checkpoints} states of a warm-up run on the pool of
     * {@code warmupFraction} of the steps. With {@code adamAware} and an Adam optimizer both
     * gradients are first divided by {@code sqrt(v̂) + eps} from the checkpoint's second moments.
     */
    public static double[] gradientSimilarity(SelectionTask task, double warmupFraction, int checkpoints, boolean adamAware) {
        Warmup warmup = Warmup.of(task.config(), warmupFraction, checkpoints);
        List<List<double[]>> states = Metagradients.trainWithCheckpoints(poolProblem(task, warmup.config()), warmup.at());
        try (Alignment alignment = Alignment.gradSim(task.config(), warmup, states, task.targets(), adamAware)) {
            return alignment.score(task.pool());
        }
    }

    /**
     * The warm-up run of {@code grad-sim}: the pool run's config cut to {@code warmupFraction} of its
     * steps (at least {@code checkpoints}), and the steps whose states are the checkpoints.
     */
    public record Warmup(TrainConfig config, int[] at) {

        public static Warmup of(TrainConfig config, double warmupFraction, int checkpoints) {
            if (!(warmupFraction > 0 && warmupFraction <= 1) || checkpoints < 1) {
                throw new IllegalArgumentException("grad-sim needs 0 < warmupFraction <= 1 and checkpoints >= 1");
            }
            int warmup = Math.max(checkpoints, (int) Math.round(config.steps() * warmupFraction));
            int[] at = new int[checkpoints];
            for (int c = 0; c < checkpoints; c++) {
                at[c] = (int) Math.round((double) warmup * (c + 1) / checkpoints);
            }
            return new Warmup(config.toBuilder().steps(warmup).build(), at);
        }
    }

    /** Parameters followed by {@code 1/(sqrt(v̂)+eps)} per parameter. */
    private static List<double[]> withSecondMoments(List<double[]> state, int step, TrainConfig config) {
        OptimizerSpec.Adam adam = (OptimizerSpec.Adam) config.optimizer();
        int n = config.model().build().parameterShapes().size();
        List<double[]> out = new ArrayList<>(state.subList(0, n));
        double correction = 1 - Math.pow(adam.beta2(), Math.max(1, step));
        for (int j = 0; j < n; j++) {
            double[] v = state.get(2 * n + j);
            double[] scale = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                scale[i] = 1 / (Math.sqrt(v[i] / correction) + Math.max(adam.eps(), 1e-12));
            }
            out.add(scale);
        }
        return out;
    }

    /**
     * The score of {@code influence} and {@code grad-sim}: the mean over model states of the (dot or
     * cosine) alignment of each example's gradient with ∇(mean target loss). Holds each state's
     * target direction until closed and scores any run of whole {@link PerExampleGradients} chunks
     * of the pool on its own, exactly as within the whole pool.
     */
    public static final class Alignment implements AutoCloseable {
        private final TrainConfig config;
        private final Model model;
        private final boolean cosine;
        private final NDManager manager;
        private final List<List<NDArray>> params = new ArrayList<>();
        private final List<NDArray> scales = new ArrayList<>();
        private final List<NDArray> directions = new ArrayList<>();
        private final List<Double> norms = new ArrayList<>();

        private Alignment(TrainConfig config, List<List<double[]>> states, TrainingData targets, boolean cosine,
                boolean preconditioned) {
            this.config = config;
            this.model = config.model().build();
            this.cosine = cosine;
            this.manager = Engines.newManager();
            Precision p = config.precision();
            int parameters = model.parameterShapes().size();
            for (List<double[]> state : states) {
                List<NDArray> theta = tensors(manager, model, state.subList(0, parameters), p);
                NDArray scale = preconditioned
                        ? PerExampleGradients.flatten(tensors(manager, model, state.subList(parameters, 2 * parameters), p)) : null;
                NDArray target;
                try (GradMode recording = GradMode.recording()) {
                    target = PerExampleGradients.flatten(OutputGradients.of(
                            OutputFunction.meanLoss(targets), model, theta, p, manager).gradients().get(0));
                }
                NDArray direction = scale == null ? target : target.mul(scale);
                params.add(theta);
                scales.add(scale);
                directions.add(direction);
                norms.add(Tensors.toDouble(direction.norm()));
            }
        }

        /** {@code influence}: gradient dot products at the model {@code trained} on the whole pool. */
        public static Alignment influence(TrainConfig config, List<double[]> trained, TrainingData targets) {
            return new Alignment(config, List.of(trained), targets, false, false);
        }

        /**
         * {@code grad-sim}: gradient cosines averaged over the {@code checkpoints} (whole optimizer
         * states at {@code warmup.at()}) of the warm-up run, Adam-preconditioned with {@code adamAware}.
         */
        public static Alignment gradSim(TrainConfig config, Warmup warmup, List<List<double[]>> checkpoints,
                TrainingData targets, boolean adamAware) {
            boolean precondition = adamAware && config.optimizer() instanceof OptimizerSpec.Adam;
            List<List<double[]>> states = new ArrayList<>();
            for (int c = 0; c < checkpoints.size(); c++) {
                states.add(precondition ? withSecondMoments(checkpoints.get(c), warmup.at()[c], config) : checkpoints.get(c));
            }
            return new Alignment(config, states, targets, true, precondition);
        }

        /** Scores of {@code rows}: consecutive pool examples forming whole chunks ({@link PerExampleGradients#chunkOf}). */
        public double[] score(TrainingData rows) {
            double[] score = new double[rows.size()];
            Precision p = config.precision();
            for (int s = 0; s < directions.size(); s++) {
                NDArray scale = scales.get(s);
                NDArray direction = directions.get(s);
                double directionNorm = norms.get(s);
                int states = directions.size();
                PerExampleGradients.forEach(model, params.get(s), rows, p, manager, config.batchSize(), (i, g) -> {
                    NDArray gi = scale == null ? g : g.mul(scale);
                    double dot = Tensors.toDouble(gi.dot(direction));
                    double value = cosine ? dot / (Tensors.toDouble(gi.norm()) * directionNorm + 1e-30) : dot;
                    score[i] += value / states;
                });
            }
            return score;
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    /** An elementwise per-example statistic of the batch {@code (x, y)} under parameters. */
    @FunctionalInterface
    private interface PerExample {
        NDArray apply(Model model, List<NDArray> params, NDArray x, NDArray y);
    }

    private static double[] perExample(SelectionTask task, List<double[]> trained, PerExample statistic) {
        int chunk = scoringChunk(task.config()) > 1 ? task.config().batchSize() : task.pool().size();
        return statistic(task.config(), trained, task.pool(), chunk, statistic);
    }

    /** {@code statistic} of every example of {@code data}, computed on runs of {@code chunk} consecutive examples. */
    private static double[] statistic(TrainConfig config, List<double[]> trained, TrainingData data, int chunk, PerExample statistic) {
        Model model = config.model().build();
        Precision p = config.precision();
        double[] out = new double[data.size()];
        try (NDManager m = Engines.newManager(); GradMode off = GradMode.off()) {
            List<NDArray> params = tensors(m, model, trained, p);
            for (int start = 0; start < data.size(); start += chunk) {
                int end = Math.min(data.size(), start + chunk);
                int[] rows = new int[end - start];
                for (int r = 0; r < rows.length; r++) {
                    rows[r] = start + r;
                }
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray x = Tensors.of(m, data.featureRows(rows), new Shape(rows.length, data.inputDim()), p);
                    NDArray y = Tensors.of(m, data.targetRows(rows), new Shape(rows.length, data.targetDim()), p);
                    System.arraycopy(Tensors.toDoubles(statistic.apply(model, params, x, y)), 0, out, start, rows.length);
                }
            }
        }
        return out;
    }

    /** A model trained on the target split with the task's config (batch size capped by the split). */
    static List<double[]> referenceModel(SelectionTask task) {
        return referenceModel(task.config(), task.targets());
    }

    /** The reference model of {@link #loss} and {@link #referenceAgreement}: trained on {@code targets} with the pool run's {@code config}. */
    public static List<double[]> referenceModel(TrainConfig config, TrainingData targets) {
        TrainConfig capped = config.toBuilder().batchSize(Math.min(config.batchSize(), targets.size())).build();
        return Metagradients.train(new MetagradientProblem(capped, targets,
                Metaparameter.DataWeights.ones(targets.size()), OutputFunction.meanLoss(targets)));
    }

    private static MetagradientProblem poolProblem(SelectionTask task, TrainConfig config) {
        return new MetagradientProblem(config, task.pool(), Metaparameter.DataWeights.ones(task.pool().size()),
                OutputFunction.meanLoss(task.targets()));
    }

    private static List<NDArray> tensors(NDManager m, Model model, List<double[]> values, Precision p) {
        List<NDArray> out = new ArrayList<>(values.size());
        for (int j = 0; j < values.size(); j++) {
            out.add(Tensors.of(m, values.get(j), model.parameterShapes().get(j), p));
        }
        return out;
    }
}
