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
     * {@code loss}: minus each example's loss under a reference model trained on the target split.
     * For the CLIP head the loss is the pair's contrastive loss within chunks of a training batch.
     */
    public static double[] loss(SelectionTask task) {
        List<double[]> reference = referenceModel(task);
        return perExample(task, reference, (model, params, x, y) -> model.losses(params, x, y).neg());
    }

    /**
     * {@code clip-score} / reference agreement: for the CLIP head, the cosine of the pair's
     * projections under a reference head trained on the clean target split; for classifiers, the
     * reference model's probability of the given label ({@code exp(−ℓ_i)} for one-hot labels).
     */
    public static double[] referenceAgreement(SelectionTask task) {
        List<double[]> reference = referenceModel(task);
        return perExample(task, reference, (model, params, x, y) -> {
            if (model instanceof ClipHeadModel clip) {
                return clip.embedImages(params, x).mul(clip.embedTexts(params, y)).sum(new int[] {1});
            }
            return model.logits(params, x).softmax(1).mul(y).sum(new int[] {1});
        });
    }

    /**
     * {@code influence} (one step, TRAK-like without projection): {@code ⟨∇ℓ_i, ∇L_target⟩} at the
     * model trained on the whole pool, which is how much one gradient step on example {@code i}
     * lowers the target loss ({@code L(θ − η∇ℓ_i) ≈ L(θ) − η⟨∇ℓ_i, ∇L⟩}).
     */
    public static double[] influence(SelectionTask task) {
        List<double[]> trained = Metagradients.train(poolProblem(task, task.config()));
        return gradientAlignment(task, List.of(trained), false, false);
    }

    /**
     * {@code grad-sim} (LESS-style): cosine between each example's gradient and the mean target
     * gradient, averaged over {@code checkpoints} states of a warm-up run on the pool of
     * {@code warmupFraction} of the steps. With {@code adamAware} and an Adam optimizer both
     * gradients are first divided by {@code sqrt(v̂) + eps} from the checkpoint's second moments.
     */
    public static double[] gradientSimilarity(SelectionTask task, double warmupFraction, int checkpoints, boolean adamAware) {
        if (!(warmupFraction > 0 && warmupFraction <= 1) || checkpoints < 1) {
            throw new IllegalArgumentException("grad-sim needs 0 < warmupFraction <= 1 and checkpoints >= 1");
        }
        int warmup = Math.max(checkpoints, (int) Math.round(task.config().steps() * warmupFraction));
        TrainConfig config = task.config().toBuilder().steps(warmup).build();
        int[] at = new int[checkpoints];
        for (int c = 0; c < checkpoints; c++) {
            at[c] = (int) Math.round((double) warmup * (c + 1) / checkpoints);
        }
        List<List<double[]>> states = Metagradients.trainWithCheckpoints(poolProblem(task, config), at);
        boolean precondition = adamAware && task.config().optimizer() instanceof OptimizerSpec.Adam;
        List<List<double[]>> preconditioned = new ArrayList<>();
        for (int c = 0; c < states.size(); c++) {
            preconditioned.add(precondition ? withSecondMoments(states.get(c), at[c], task) : states.get(c));
        }
        return gradientAlignment(task, preconditioned, true, precondition);
    }

    /** Parameters followed by {@code 1/(sqrt(v̂)+eps)} per parameter. */
    private static List<double[]> withSecondMoments(List<double[]> state, int step, SelectionTask task) {
        OptimizerSpec.Adam adam = (OptimizerSpec.Adam) task.config().optimizer();
        int n = task.config().model().build().parameterShapes().size();
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

    /** Mean over states of the (cosine or dot) alignment of example gradients with ∇(mean target loss). */
    private static double[] gradientAlignment(SelectionTask task, List<List<double[]>> states, boolean cosine, boolean preconditioned) {
        Model model = task.config().model().build();
        Precision p = task.config().precision();
        int parameters = model.parameterShapes().size();
        double[] score = new double[task.pool().size()];
        try (NDManager m = Engines.newManager()) {
            for (List<double[]> state : states) {
                List<NDArray> params = tensors(m, model, state.subList(0, parameters), p);
                NDArray scale = preconditioned ? PerExampleGradients.flatten(tensors(m, model, state.subList(parameters, 2 * parameters), p)) : null;
                NDArray target;
                try (GradMode recording = GradMode.recording()) {
                    target = PerExampleGradients.flatten(OutputGradients.of(
                            OutputFunction.meanLoss(task.targets()), model, params, p, m).gradients().get(0));
                }
                NDArray direction = scale == null ? target : target.mul(scale);
                double directionNorm = Tensors.toDouble(direction.norm());
                PerExampleGradients.forEach(model, params, task.pool(), p, m, task.config().batchSize(), (i, g) -> {
                    NDArray gi = scale == null ? g : g.mul(scale);
                    double dot = Tensors.toDouble(gi.dot(direction));
                    double value = cosine ? dot / (Tensors.toDouble(gi.norm()) * directionNorm + 1e-30) : dot;
                    score[i] += value / states.size();
                });
            }
        }
        return score;
    }

    /** An elementwise per-example statistic of the batch {@code (x, y)} under parameters. */
    @FunctionalInterface
    private interface PerExample {
        NDArray apply(Model model, List<NDArray> params, NDArray x, NDArray y);
    }

    private static double[] perExample(SelectionTask task, List<double[]> trained, PerExample statistic) {
        Model model = task.config().model().build();
        Precision p = task.config().precision();
        TrainingData pool = task.pool();
        int chunk = model instanceof ClipHeadModel ? task.config().batchSize() : pool.size();
        double[] out = new double[pool.size()];
        try (NDManager m = Engines.newManager(); GradMode off = GradMode.off()) {
            List<NDArray> params = tensors(m, model, trained, p);
            for (int start = 0; start < pool.size(); start += chunk) {
                int end = Math.min(pool.size(), start + chunk);
                int[] rows = new int[end - start];
                for (int r = 0; r < rows.length; r++) {
                    rows[r] = start + r;
                }
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray x = Tensors.of(m, pool.featureRows(rows), new Shape(rows.length, pool.inputDim()), p);
                    NDArray y = Tensors.of(m, pool.targetRows(rows), new Shape(rows.length, pool.targetDim()), p);
                    System.arraycopy(Tensors.toDoubles(statistic.apply(model, params, x, y)), 0, out, start, rows.length);
                }
            }
        }
        return out;
    }

    /** A model trained on the target split with the task's config (batch size capped by the split). */
    static List<double[]> referenceModel(SelectionTask task) {
        TrainConfig config = task.config().toBuilder()
                .batchSize(Math.min(task.config().batchSize(), task.targets().size())).build();
        return Metagradients.train(new MetagradientProblem(config, task.targets(),
                Metaparameter.DataWeights.ones(task.targets().size()), OutputFunction.meanLoss(task.targets())));
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
