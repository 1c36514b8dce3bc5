package io.metagrad.core.attribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.meta.Metaparameter;
import io.metagrad.core.mgd.MetagradientProblem;
import io.metagrad.core.mgd.Metagradients;
import io.metagrad.core.model.Model;
import io.metagrad.core.output.OutputFunction;
import io.metagrad.core.output.OutputGradients;
import io.metagrad.core.tensor.Engines;
import io.metagrad.core.tensor.GradMode;
import io.metagrad.core.tensor.Precision;
import io.metagrad.core.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;

/**
 * The attribution baselines that only look at the final model {@code θ_T}: one-step influence
 * (gradient dot product, TRAK-like without projection) and gradient cosine similarity. Scores use
 * the same sign convention as {@link Attribution}: {@code τ_qi ≈ −⟨∇φ_q, ∇ℓ_i⟩} up to a positive
 * factor, so "removing S changes φ by −Σ τ" holds to first order for one small step.
 */
public final class GradientBaselines {

    /** Scores {@code [targets][examples]} of both baselines. */
    public record Scores(double[][] dotProduct, double[][] cosine) {}

    private GradientBaselines() {}

    public static Scores compute(TrainConfig config, TrainingData train, TrainingData targets) {
        List<double[]> trained = Metagradients.train(new MetagradientProblem(
                config, train, Metaparameter.DataWeights.ones(train.size()), OutputFunction.perExampleLosses(targets)));
        int q = targets.size();
        double[][] dot = new double[q][train.size()];
        double[][] cosine = new double[q][train.size()];
        try (Scorer scorer = new Scorer(config, trained, targets)) {
            scorer.score(train, (i, d, c) -> {
                for (int t = 0; t < q; t++) {
                    dot[t][i] = d[t];
                    cosine[t][i] = c[t];
                }
            });
        }
        return new Scores(dot, cosine);
    }

    /**
     * Both baselines' scores of training examples at fixed trained parameters: holds the model and
     * every target's loss gradient (a {@code [Q × P]} matrix) until closed, and scores examples as
     * they come, so the examples may be streamed (e.g. a Spark partition at a time). Scoring every
     * {@link PerExampleGradients#chunkOf chunk} of the training set separately gives bitwise the scores
     * of {@link #compute}.
     */
    public static final class Scorer implements AutoCloseable {

        /** Receives example {@code example}'s scores against every target (arrays valid only during the call). */
        @FunctionalInterface
        public interface Sink {
            void accept(int example, double[] dotProduct, double[] cosine);
        }

        private final TrainConfig config;
        private final Model model;
        private final NDManager manager;
        private final List<NDArray> params = new ArrayList<>();
        private final NDArray targetGradients;
        private final double[] targetNorms;

        /** @param trained the final parameters, row-major in the model's order (as {@link Metagradients#train} returns them) */
        public Scorer(TrainConfig config, List<double[]> trained, TrainingData targets) {
            this.config = config;
            this.model = config.model().build();
            this.manager = Engines.newManager();
            try (GradMode off = GradMode.off()) {
                Precision p = config.precision();
                List<Shape> shapes = model.parameterShapes();
                for (int j = 0; j < shapes.size(); j++) {
                    params.add(Tensors.of(manager, trained.get(j), shapes.get(j), p));
                }
                this.targetGradients = stackedTargetGradients(OutputFunction.perExampleLosses(targets), model, params, p, manager);
                this.targetNorms = Tensors.toDoubles(targetGradients.norm(new int[] {1}));
            } catch (RuntimeException e) {
                manager.close();
                throw e;
            }
        }

        /** Scores every example of {@code examples}, chunked as {@link PerExampleGradients#forEach} chunks them. */
        public void score(TrainingData examples, Sink sink) {
            int q = targetNorms.length;
            double[] dot = new double[q];
            double[] cosine = new double[q];
            try (GradMode off = GradMode.off()) {
                PerExampleGradients.forEach(model, params, examples, config.precision(), manager, config.batchSize(), (i, g) -> {
                    double[] dots = Tensors.toDoubles(targetGradients.matMul(g));
                    double norm = Tensors.toDouble(g.norm());
                    for (int t = 0; t < q; t++) {
                        dot[t] = -dots[t];
                        cosine[t] = norm == 0 || targetNorms[t] == 0 ? 0 : -dots[t] / (norm * targetNorms[t]);
                    }
                    sink.accept(i, dot, cosine);
                });
            }
        }

        /** The model being scored with (e.g. to chunk examples with {@link PerExampleGradients#chunkOf}). */
        public Model model() {
            return model;
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    /** {@code [Q × P]}: each target's loss gradient, flattened. */
    private static NDArray stackedTargetGradients(OutputFunction output, Model model, List<NDArray> params, Precision p, NDManager m) {
        OutputGradients.Result result;
        try (GradMode recording = GradMode.recording()) {
            result = OutputGradients.of(output, model, params, p, m);
        }
        NDList rows = new NDList();
        for (List<NDArray> gradient : result.gradients()) {
            rows.add(PerExampleGradients.flatten(gradient));
        }
        return NDArrays.stack(rows);
    }
}
