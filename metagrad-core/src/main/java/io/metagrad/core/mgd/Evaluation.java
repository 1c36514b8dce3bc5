package io.metagrad.core.mgd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.model.ClipHeadModel;
import io.metagrad.core.model.Model;
import io.metagrad.core.output.OutputFunction;
import io.metagrad.core.tensor.Engines;
import io.metagrad.core.tensor.GradMode;
import io.metagrad.core.tensor.Precision;
import io.metagrad.core.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;

/** Evaluates trained parameters (as returned by {@link Metagradients#train}) on held-out data. */
public final class Evaluation {

    private Evaluation() {}

    /** Fraction of examples whose highest logit is the class with the largest target mass. */
    public static double accuracy(TrainConfig config, List<double[]> params, TrainingData data) {
        return onData(config, params, data, (model, p, x, y) -> model.logits(p, x).argMax(1).eq(y.argMax(1))
                .toType(ai.djl.ndarray.types.DataType.FLOAT64, false).mean());
    }

    /** The class each example is assigned: its highest logit. */
    public static int[] predictions(TrainConfig config, List<double[]> params, TrainingData data) {
        Model model = config.model().build();
        try (NDManager m = Engines.newManager(); NDScope scope = new NDScope(); GradMode off = GradMode.off()) {
            scope.suppressNotUsedWarning();
            List<NDArray> p = tensors(m, model, params, config.precision());
            NDArray x = Tensors.of(m, data.features(), new Shape(data.size(), data.inputDim()), config.precision());
            return toInts(model.logits(p, x).argMax(1).toLongArray());
        }
    }

    /** The class scores (logits) of every example, row-major {@code [n × classes]}. */
    public static double[] logits(TrainConfig config, List<double[]> params, TrainingData data) {
        Model model = config.model().build();
        try (NDManager m = Engines.newManager(); NDScope scope = new NDScope(); GradMode off = GradMode.off()) {
            scope.suppressNotUsedWarning();
            List<NDArray> p = tensors(m, model, params, config.precision());
            NDArray x = Tensors.of(m, data.features(), new Shape(data.size(), data.inputDim()), config.precision());
            return Tensors.toDoubles(model.logits(p, x));
        }
    }

    /** The values of an output function (e.g. a zero-shot loss) at trained parameters, without training again. */
    public static double[] output(TrainConfig config, List<double[]> params, OutputFunction output) {
        Model model = config.model().build();
        try (NDManager m = Engines.newManager(); NDScope scope = new NDScope(); GradMode off = GradMode.off()) {
            scope.suppressNotUsedWarning();
            List<NDArray> p = tensors(m, model, params, config.precision());
            return Tensors.toDoubles(output.values(model, p, config.precision()));
        }
    }

    /** Mean per-example loss. */
    public static double meanLoss(TrainConfig config, List<double[]> params, TrainingData data) {
        return onData(config, params, data, (model, p, x, y) -> model.losses(p, x, y).mean());
    }

    /** A scalar statistic of the model at {@code params} on {@code data}. */
    @FunctionalInterface
    private interface Statistic {
        NDArray apply(Model model, List<NDArray> params, NDArray x, NDArray y);
    }

    private static double onData(TrainConfig config, List<double[]> params, TrainingData data, Statistic statistic) {
        Model model = config.model().build();
        try (NDManager m = Engines.newManager(); NDScope scope = new NDScope(); GradMode off = GradMode.off()) {
            scope.suppressNotUsedWarning();
            List<NDArray> p = tensors(m, model, params, config.precision());
            NDArray x = Tensors.of(m, data.features(), new Shape(data.size(), data.inputDim()), config.precision());
            NDArray y = Tensors.of(m, data.targets(), new Shape(data.size(), data.targetDim()), config.precision());
            return Tensors.toDouble(statistic.apply(model, p, x, y));
        }
    }

    /**
     * CLIP zero-shot accuracy: each image is assigned the class whose prompt embedding is closest
     * after projection.
     *
     * @param images {@code [n × imageDim]} row-major; {@code prompts} {@code [C × textDim]}
     */
    public static double zeroShotAccuracy(
            TrainConfig config, List<double[]> params, double[] images, double[] prompts, int[] labels) {
        return ClassificationScores.of(zeroShotPredictions(config, params, images, prompts, labels.length), labels).accuracy();
    }

    /**
     * CLIP zero-shot predictions: for each of the {@code n} images, the class whose prompt
     * embedding is closest after projection.
     */
    public static int[] zeroShotPredictions(TrainConfig config, List<double[]> params, double[] images, double[] prompts, int n) {
        if (!(config.model().build() instanceof ClipHeadModel clip)) {
            throw new IllegalArgumentException("zero-shot accuracy needs the CLIP head model");
        }
        int imageDim = clip.inputDim();
        int textDim = clip.targetDim();
        try (NDManager m = Engines.newManager(); NDScope scope = new NDScope(); GradMode off = GradMode.off()) {
            scope.suppressNotUsedWarning();
            List<NDArray> p = tensors(m, clip, params, config.precision());
            NDArray img = Tensors.of(m, images, new Shape(n, imageDim), config.precision());
            NDArray txt = Tensors.of(m, prompts, new Shape(prompts.length / textDim, textDim), config.precision());
            return toInts(clip.logits(p, clip.embedImages(p, img), clip.embedTexts(p, txt)).argMax(1).toLongArray());
        }
    }

    private static int[] toInts(long[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.toIntExact(v[i]);
        }
        return out;
    }

    private static List<NDArray> tensors(NDManager m, Model model, List<double[]> params, Precision precision) {
        List<Shape> shapes = model.parameterShapes();
        if (shapes.size() != params.size()) {
            throw new IllegalArgumentException("expected " + shapes.size() + " parameter arrays, got " + params.size());
        }
        List<NDArray> out = new ArrayList<>();
        for (int j = 0; j < shapes.size(); j++) {
            out.add(Tensors.of(m, params.get(j), shapes.get(j), precision));
        }
        return out;
    }
}
