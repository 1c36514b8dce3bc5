package io.metagrad.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/** Multinomial logistic regression; parameters {@code [W (d×C), b (C)]}. */
final class LogisticRegressionModel implements Model {

    private final int inputDim;
    private final int numClasses;
    private final DenseNetwork network;

    LogisticRegressionModel(ModelSpec.LogisticRegression spec) {
        this.inputDim = spec.inputDim();
        this.numClasses = spec.numClasses();
        this.network = new DenseNetwork(new int[] {inputDim, numClasses}, ModelSpec.Activation.TANH, 1.0);
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
        return network.gradient(network.tape(params, x, y, w));
    }

    @Override
    public NDArray logits(List<NDArray> params, NDArray x) {
        return network.logits(params, x);
    }

    @Override
    public Optional<SecondOrder> secondOrder() {
        return Optional.of(network);
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
