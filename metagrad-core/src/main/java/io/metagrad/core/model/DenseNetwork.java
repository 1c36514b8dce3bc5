package io.metagrad.core.model;

import ai.djl.ndarray.NDArray;
import io.metagrad.core.tensor.Scalars;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Dense layers with biases and an activation between them, then scaled logits under softmax
 * cross-entropy: the network of the MLP without normalization and (one layer, no activation) of
 * logistic regression. Parameters {@code W_0, b_0, W_1, b_1, …}.
 *
 * <p>Its gradient is written by hand, and so is the vector–Jacobian product of that gradient. With
 * {@code F = ⟨v, ∇θL⟩ = Σ_i s_i ⟨E_i, l̇_i⟩} (the directional derivative of the loss along {@code v}:
 * {@code s_i = w_i/B}, {@code E = p·Σy − y} the per-example logit gradient, {@code l̇} the logits'
 * tangent), the VJP is one tangent pass forward ({@code ż_l = ȧ_l W_l + a_l V_l + c_l}) and one
 * adjoint pass back through the pairs {@code (z_l, ż_l)}. The adjoint of {@code ż_l} is the loss's own
 * backpropagated signal {@code δ_l}, so it is read from the tape rather than recomputed.
 */
final class DenseNetwork implements SecondOrder {

    private static final double INV_SQRT_2 = 1 / Math.sqrt(2);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    private final int[] widths;
    private final ModelSpec.Activation activation;
    private final double logitScale;

    DenseNetwork(int[] widths, ModelSpec.Activation activation, double logitScale) {
        this.widths = widths.clone();
        this.activation = activation;
        this.logitScale = logitScale;
    }

    private int layers() {
        return widths.length - 1;
    }

    /**
     * A gradient evaluation: the layer inputs {@code a_l} ({@code a_0 = x}), the hidden pre-activations
     * {@code z_l} (GELU only; null for tanh) and activation slopes {@code σ'(z_l)}, the softmax {@code p}, the label mass
     * {@code Σ_c y}, the logit gradient {@code E} before weighting, the weights {@code s = w/B} as a
     * column, the backpropagated signals {@code δ_l = ∂L/∂z_l} and {@code dh_l = δ_l W_lᵀ}.
     */
    record DenseTape(
            List<NDArray> inputs,
            List<NDArray> preActivations,
            List<NDArray> slopes,
            NDArray p,
            NDArray mass,
            NDArray e,
            NDArray scale,
            NDArray y,
            List<NDArray> deltas,
            List<NDArray> hiddenGradients)
            implements Tape {
        @Override
        public List<NDArray> arrays() {
            List<NDArray> all = new ArrayList<>(inputs);
            preActivations.stream().filter(java.util.Objects::nonNull).forEach(all::add);
            all.addAll(slopes);
            all.addAll(List.of(p, mass, e, scale, y));
            all.addAll(deltas);
            all.addAll(hiddenGradients);
            return all;
        }
    }

    /** The logits of a forward pass. */
    NDArray logits(List<NDArray> params, NDArray x) {
        NDArray h = x;
        for (int l = 0; l < layers(); l++) {
            NDArray z = h.matMul(params.get(2 * l)).add(params.get(2 * l + 1));
            if (l == layers() - 1) {
                return scaled(z);
            }
            h = activate(z);
        }
        throw new IllegalStateException("unreachable: a network has at least one layer");
    }

    @Override
    public DenseTape tape(List<NDArray> params, NDArray x, NDArray y, NDArray w) {
        List<NDArray> inputs = new ArrayList<>(layers());
        List<NDArray> preActivations = new ArrayList<>(layers() - 1);
        NDArray h = x;
        NDArray logits = null;
        for (int l = 0; l < layers(); l++) {
            inputs.add(h);
            NDArray z = h.matMul(params.get(2 * l)).add(params.get(2 * l + 1));
            if (l == layers() - 1) {
                logits = scaled(z);
            } else {
                // tanh reads its slopes off the activation; only GELU needs the pre-activation again
                preActivations.add(activation == ModelSpec.Activation.GELU ? z : null);
                h = activate(z);
            }
        }
        long batch = x.getShape().get(0);
        NDArray p = logits.softmax(1);
        NDArray mass = y.sum(new int[] {1}, true);
        NDArray e = p.mul(mass).sub(y);
        NDArray scale = Scalars.over(w, batch).reshape(batch, 1);
        NDArray[] deltas = new NDArray[layers()];
        NDArray[] hidden = new NDArray[layers() - 1];
        NDArray[] slopes = new NDArray[layers() - 1];
        deltas[layers() - 1] = scaled(e.mul(scale));
        for (int l = layers() - 1; l >= 1; l--) {
            hidden[l - 1] = deltas[l].matMul(params.get(2 * l).transpose());
            slopes[l - 1] = slope(preActivations.get(l - 1), inputs.get(l));
            deltas[l - 1] = hidden[l - 1].mul(slopes[l - 1]);
        }
        return new DenseTape(inputs, preActivations, Arrays.asList(slopes), p, mass, e, scale, y,
                Arrays.asList(deltas), Arrays.asList(hidden));
    }

    @Override
    public List<NDArray> gradient(Tape tape) {
        DenseTape t = (DenseTape) tape;
        List<NDArray> grads = new ArrayList<>(2 * layers());
        for (int l = 0; l < layers(); l++) {
            NDArray delta = t.deltas().get(l);
            grads.add(t.inputs().get(l).transpose().matMul(delta));
            grads.add(delta.sum(new int[] {0}));
        }
        return grads;
    }

    @Override
    public Vjp gradientVjp(Tape tape, List<NDArray> params, List<NDArray> v, Wanted wanted) {
        DenseTape t = (DenseTape) tape;
        // Tangent pass: ż_l for the parameter direction v (x does not depend on θ, so ȧ_0 = 0).
        NDArray[] tangents = new NDArray[layers()];
        NDArray[] inputTangents = new NDArray[layers()];
        for (int l = 0; l < layers(); l++) {
            NDArray zDot = t.inputs().get(l).matMul(v.get(2 * l)).add(v.get(2 * l + 1));
            if (l > 0) {
                inputTangents[l] = t.slopes().get(l - 1).mul(tangents[l - 1]);
                zDot = zDot.add(inputTangents[l].matMul(params.get(2 * l)));
            }
            tangents[l] = zDot;
        }
        NDArray logitsDot = scaled(tangents[layers() - 1]);
        NDArray expected = t.p().mul(logitsDot).sum(new int[] {1}, true);
        NDArray wBar = null;
        if (wanted.w()) {
            long batch = logitsDot.getShape().get(0);
            wBar = Scalars.over(t.e().mul(logitsDot).sum(new int[] {1}), batch);
        }
        NDArray yBar = wanted.y() ? expected.sub(logitsDot).mul(t.scale()) : null;
        // Adjoint pass: P_l = ∂F/∂z_l; the adjoint of ż_l is δ_l.
        NDArray adjoint = scaled(t.p().mul(logitsDot.sub(expected)).mul(t.mass()).mul(t.scale()));
        NDArray[] bars = new NDArray[2 * layers()];
        NDArray xBar = null;
        for (int l = layers() - 1; l >= 0; l--) {
            NDArray delta = t.deltas().get(l);
            NDArray weightBar = t.inputs().get(l).transpose().matMul(adjoint);
            if (l > 0) {
                weightBar = weightBar.add(inputTangents[l].transpose().matMul(delta));
            }
            bars[2 * l] = weightBar;
            bars[2 * l + 1] = adjoint.sum(new int[] {0});
            if (l > 0 || wanted.x()) {
                NDArray inputBar = adjoint.matMul(params.get(2 * l).transpose())
                        .add(delta.matMul(v.get(2 * l).transpose()));
                if (l == 0) {
                    xBar = inputBar;
                } else {
                    NDArray curvature = t.hiddenGradients().get(l - 1)
                            .mul(curvature(t.preActivations().get(l - 1), t.inputs().get(l), t.slopes().get(l - 1)))
                            .mul(tangents[l - 1]);
                    adjoint = inputBar.mul(t.slopes().get(l - 1)).add(curvature);
                }
            }
        }
        return new Vjp(Arrays.asList(bars), xBar, yBar, wBar);
    }

    private NDArray scaled(NDArray z) {
        return logitScale == 1 ? z : Scalars.times(z, logitScale);
    }

    private NDArray activate(NDArray z) {
        return activation == ModelSpec.Activation.TANH ? z.tanh() : z.mul(normalCdf(z));
    }

    /** {@code σ'(z)}; {@code a = σ(z)} (tanh reads its slope off the activation). */
    private NDArray slope(NDArray z, NDArray a) {
        if (activation == ModelSpec.Activation.TANH) {
            return Scalars.minusFrom(1, a.square());
        }
        return normalCdf(z).add(z.mul(normalDensity(z)));
    }

    /** {@code σ''(z)}: {@code −2a·σ'} for tanh, {@code φ(z)(2 − z²)} for GELU. */
    private NDArray curvature(NDArray z, NDArray a, NDArray slope) {
        if (activation == ModelSpec.Activation.TANH) {
            return Scalars.times(a.mul(slope), -2);
        }
        return normalDensity(z).mul(Scalars.minusFrom(2, z.square()));
    }

    private static NDArray normalCdf(NDArray z) {
        return Scalars.times(Scalars.plus(Scalars.times(z, INV_SQRT_2).erf(), 1), 0.5);
    }

    private static NDArray normalDensity(NDArray z) {
        return Scalars.times(Scalars.times(z.square(), -0.5).exp(), INV_SQRT_2PI);
    }
}
