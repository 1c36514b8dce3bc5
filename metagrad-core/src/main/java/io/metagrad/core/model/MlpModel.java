package io.metagrad.core.model;

import io.metagrad.core.tensor.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * A multilayer perceptron with tanh or exact GELU, optional layer normalization of the
 * pre-activations (no affine; biases of normalized layers are dropped since the mean is removed),
 * and a scale on the output logits.
 *
 * <p>Parameters, layer by layer: {@code W_l} then {@code b_l} (absent for normalized hidden layers).
 */
final class MlpModel implements Model {

    private static final double NORM_EPS = 1e-5;
    private static final double INV_SQRT_2 = 1 / Math.sqrt(2);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    private final int[] widths;
    private final ModelSpec.Activation activation;
    private final boolean normalize;
    private final double logitScale;
    /** Without normalization: the same network with its second order written by hand. */
    private final DenseNetwork network;

    MlpModel(ModelSpec.Mlp spec) {
        this.widths = spec.widths();
        this.activation = spec.activation();
        this.normalize = spec.normalize();
        this.logitScale = spec.logitScale();
        this.network = normalize ? null : new DenseNetwork(widths, activation, logitScale);
    }

    private int layers() {
        return widths.length - 1;
    }

    private boolean hasBias(int layer) {
        return !(normalize && layer < layers() - 1);
    }

    @Override
    public List<Shape> parameterShapes() {
        List<Shape> shapes = new ArrayList<>();
        for (int l = 0; l < layers(); l++) {
            shapes.add(new Shape(widths[l], widths[l + 1]));
            if (hasBias(l)) {
                shapes.add(new Shape(widths[l + 1]));
            }
        }
        return shapes;
    }

    @Override
    public List<double[]> initialValues(long seed) {
        Random random = new Random(seed);
        List<double[]> values = new ArrayList<>();
        for (int l = 0; l < layers(); l++) {
            values.add(Init.gaussian(random, widths[l] * widths[l + 1], 1.0 / Math.sqrt(widths[l])));
            if (hasBias(l)) {
                values.add(new double[widths[l + 1]]);
            }
        }
        return values;
    }

    /** Activations of one forward pass, kept for the hand-written backward pass. */
    private record Forward(List<NDArray> inputs, List<NDArray> normalized, List<NDArray> sigmas, NDArray logits) {}

    private Forward forward(List<NDArray> params, NDArray x) {
        List<NDArray> inputs = new ArrayList<>();
        List<NDArray> normalized = new ArrayList<>();
        List<NDArray> sigmas = new ArrayList<>();
        NDArray h = x;
        int p = 0;
        for (int l = 0; l < layers(); l++) {
            inputs.add(h);
            NDArray z = h.matMul(params.get(p++));
            if (hasBias(l)) {
                z = z.add(params.get(p++));
            }
            if (l == layers() - 1) {
                return new Forward(inputs, normalized, sigmas, Scalars.times(z, logitScale));
            }
            if (normalize) {
                NDArray centered = z.sub(z.mean(new int[] {1}, true));
                NDArray sigma = Scalars.plus(centered.square().mean(new int[] {1}, true), NORM_EPS).sqrt();
                z = centered.div(sigma);
                sigmas.add(sigma);
            }
            normalized.add(z);
            h = activate(z);
        }
        throw new IllegalStateException("unreachable: an MLP has at least one layer");
    }

    private NDArray activate(NDArray z) {
        return activation == ModelSpec.Activation.TANH ? z.tanh() : z.mul(normalCdf(z));
    }

    private NDArray activationDerivative(NDArray z) {
        if (activation == ModelSpec.Activation.TANH) {
            return Scalars.minusFrom(1, z.tanh().square());
        }
        NDArray density = Scalars.times(Scalars.times(z.square(), -0.5).exp(), INV_SQRT_2PI);
        return normalCdf(z).add(z.mul(density));
    }

    private static NDArray normalCdf(NDArray z) {
        return Scalars.times(Scalars.plus(Scalars.times(z, INV_SQRT_2).erf(), 1), 0.5);
    }

    @Override
    public NDArray losses(List<NDArray> params, NDArray x, NDArray y) {
        return SoftmaxCrossEntropy.losses(logits(params, x), y);
    }

    @Override
    public NDArray logits(List<NDArray> params, NDArray x) {
        return network != null ? network.logits(params, x) : forward(params, x).logits();
    }

    @Override
    public Optional<SecondOrder> secondOrder() {
        return Optional.ofNullable(network);
    }

    @Override
    public List<NDArray> gradient(List<NDArray> params, NDArray x, NDArray y, NDArray w) {
        if (network != null) {
            return network.gradient(network.tape(params, x, y, w));
        }
        Forward f = forward(params, x);
        NDArray[] grads = new NDArray[params.size()];
        NDArray dz = Scalars.times(SoftmaxCrossEntropy.logitsGradient(f.logits(), y, w), logitScale);
        int p = params.size();
        for (int l = layers() - 1; l >= 0; l--) {
            if (hasBias(l)) {
                grads[--p] = dz.sum(new int[] {0});
            }
            NDArray weight = params.get(--p);
            grads[p] = f.inputs().get(l).transpose().matMul(dz);
            if (l == 0) {
                break;
            }
            NDArray dh = dz.matMul(weight.transpose());
            NDArray n = f.normalized().get(l - 1);
            NDArray dn = dh.mul(activationDerivative(n));
            dz = normalize ? layerNormBackward(dn, n, f.sigmas().get(l - 1)) : dn;
        }
        return List.of(grads);
    }

    /** {@code dz = (dn − mean(dn) − n·mean(dn·n)) / σ} for {@code n = (z − μ)/σ}. */
    private static NDArray layerNormBackward(NDArray dn, NDArray n, NDArray sigma) {
        NDArray meanDn = dn.mean(new int[] {1}, true);
        NDArray meanDnN = dn.mul(n).mean(new int[] {1}, true);
        return dn.sub(meanDn).sub(n.mul(meanDnN)).div(sigma);
    }

    @Override
    public int inputDim() {
        return widths[0];
    }

    @Override
    public int targetDim() {
        return widths[widths.length - 1];
    }
}
