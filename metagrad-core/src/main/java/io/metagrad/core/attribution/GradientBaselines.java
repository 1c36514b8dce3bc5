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
        OutputFunction output = OutputFunction.perExampleLosses(targets);
        List<double[]> trained = Metagradients.train(new MetagradientProblem(
                config, train, Metaparameter.DataWeights.ones(train.size()), output));
        Model model = config.model().build();
        Precision p = config.precision();
        int q = targets.size();
        double[][] dot = new double[q][train.size()];
        double[][] cosine = new double[q][train.size()];
        try (NDManager m = Engines.newManager(); GradMode off = GradMode.off()) {
            List<NDArray> params = new ArrayList<>();
            List<Shape> shapes = model.parameterShapes();
            for (int j = 0; j < shapes.size(); j++) {
                params.add(Tensors.of(m, trained.get(j), shapes.get(j), p));
            }
            NDArray targetGradients = stackedTargetGradients(output, model, params, p, m);
            NDArray targetNorms = targetGradients.norm(new int[] {1});
            double[] tn = Tensors.toDoubles(targetNorms);
            PerExampleGradients.forEach(model, params, train, p, m, config.batchSize(), (i, g) -> {
                double[] dots = Tensors.toDoubles(targetGradients.matMul(g));
                double norm = Tensors.toDouble(g.norm());
                for (int t = 0; t < q; t++) {
                    dot[t][i] = -dots[t];
                    cosine[t][i] = norm == 0 || tn[t] == 0 ? 0 : -dots[t] / (norm * tn[t]);
                }
            });
        }
        return new Scores(dot, cosine);
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
