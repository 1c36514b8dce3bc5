package io.metagrad.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;

/** Multinomial logistic regression; parameters {@code [W (d×C), b (C)]}. */
final class LogisticRegressionModel implements Model {

    private final int inputDim;
    private final int numClasses;

    LogisticRegressionModel(ModelSpec.LogisticRegression spec) {
        this.inputDim = spec.inputDim();
        this.numClasses = spec.numClasses();
    }

    @Override
    public List<Shape> parameterShapes() {
        return List.of(new Shape(inputDim, numClasses), new Shape(numClasses));
    }

    @Override
    public List<double[]> initialValues(long seed) {
        Random random = new Random(seed);
        return List.of(
                Init.gaussian(random, inputDim * numClasses, 1.0 / Math.sqrt(inputDim)),
                new double[numClasses]);
    }

    @Override
    public NDArray losses(List<NDArray> params, NDArray x, NDArray y) {
        return SoftmaxCrossEntropy.losses(logits(params, x), y);
    }

    @Override
    public List<NDArray> gradient(List<NDArray> params, NDArray x, NDArray y, NDArray w) {
        NDArray dLogits = SoftmaxCrossEntropy.logitsGradient(logits(params, x), y, w);
        return List.of(x.transpose().matMul(dLogits), dLogits.sum(new int[] {0}));
    }

    @Override
    public NDArray logits(List<NDArray> params, NDArray x) {
        return x.matMul(params.get(0)).add(params.get(1));
    }

    @Override
    public int inputDim() {
        return inputDim;
    }

    @Override
    public int targetDim() {
        return numClasses;
    }
}
