package io.metagrad.core.model;

import io.metagrad.core.tensor.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * CLIP-style dual projection head. Parameters {@code [W_img (di×p), W_txt (dt×p)]} and, when the
 * temperature is learned, {@code τ (1)}. Logits {@code exp(τ)·û v̂ᵀ} for unit-norm projections
 * {@code û = xW_img/‖·‖}, {@code v̂ = yW_txt/‖·‖}; per-example loss {@code ℓ_i} is the mean of the
 * image→text and text→image cross-entropies of pair {@code i} within its batch.
 */
public final class ClipHeadModel implements Model {

    private final ModelSpec.ClipHead spec;

    ClipHeadModel(ModelSpec.ClipHead spec) {
        this.spec = spec;
    }

    @Override
    public List<Shape> parameterShapes() {
        List<Shape> shapes = new ArrayList<>();
        shapes.add(new Shape(spec.imageDim(), spec.projectionDim()));
        shapes.add(new Shape(spec.textDim(), spec.projectionDim()));
        if (spec.learnTemperature()) {
            shapes.add(new Shape(1));
        }
        return shapes;
    }

    @Override
    public List<double[]> initialValues(long seed) {
        Random random = new Random(seed);
        List<double[]> values = new ArrayList<>();
        values.add(Init.gaussian(random, spec.imageDim() * spec.projectionDim(), 1.0 / Math.sqrt(spec.imageDim())));
        values.add(Init.gaussian(random, spec.textDim() * spec.projectionDim(), 1.0 / Math.sqrt(spec.textDim())));
        if (spec.learnTemperature()) {
            values.add(new double[] {spec.logTemperature()});
        }
        return values;
    }

    /** Unit-norm image embeddings {@code [N, p]}. */
    public NDArray embedImages(List<NDArray> params, NDArray images) {
        return unit(images.matMul(params.get(0)));
    }

    /** Unit-norm text embeddings {@code [N, p]}. */
    public NDArray embedTexts(List<NDArray> params, NDArray texts) {
        return unit(texts.matMul(params.get(1)));
    }

    /** Logits {@code exp(τ)·a bᵀ} between unit embeddings. */
    public NDArray logits(List<NDArray> params, NDArray unitImages, NDArray unitTexts) {
        NDArray cosine = unitImages.matMul(unitTexts.transpose());
        return spec.learnTemperature()
                ? cosine.mul(params.get(2).exp())
                : Scalars.times(cosine, Math.exp(spec.logTemperature()));
    }

    @Override
    public NDArray logits(List<NDArray> params, NDArray x) {
        throw new IllegalArgumentException(
                "the CLIP head has no classes of its own; evaluate it zero-shot against class prompts");
    }

    private static NDArray unit(NDArray u) {
        return u.div(norms(u));
    }

    private static NDArray norms(NDArray u) {
        return u.square().sum(new int[] {1}, true).sqrt();
    }

    @Override
    public NDArray losses(List<NDArray> params, NDArray x, NDArray y) {
        NDArray logits = logits(params, embedImages(params, x), embedTexts(params, y));
        NDArray eye = identity(x.getManager(), logits);
        NDArray rows = logits.logSoftmax(1).mul(eye).sum(new int[] {1});
        NDArray cols = logits.logSoftmax(0).mul(eye).sum(new int[] {0});
        return Scalars.times(rows.add(cols), -0.5);
    }

    @Override
    public List<NDArray> gradient(List<NDArray> params, NDArray x, NDArray y, NDArray w) {
        long batch = x.getShape().get(0);
        NDArray u = x.matMul(params.get(0));
        NDArray v = y.matMul(params.get(1));
        NDArray uNorm = norms(u);
        NDArray vNorm = norms(v);
        NDArray uHat = u.div(uNorm);
        NDArray vHat = v.div(vNorm);
        NDArray logits = logits(params, uHat, vHat);
        NDArray eye = identity(x.getManager(), logits);

        NDArray rowTerm = logits.softmax(1).sub(eye).mul(w.reshape(batch, 1));
        NDArray colTerm = logits.softmax(0).sub(eye).mul(w.reshape(1, batch));
        NDArray dLogits = Scalars.over(rowTerm.add(colTerm), 2.0 * batch);
        NDArray dCosine = spec.learnTemperature()
                ? dLogits.mul(params.get(2).exp())
                : Scalars.times(dLogits, Math.exp(spec.logTemperature()));

        NDArray du = unitBackward(dCosine.matMul(vHat), uHat, uNorm);
        NDArray dv = unitBackward(dCosine.transpose().matMul(uHat), vHat, vNorm);
        List<NDArray> grads = new ArrayList<>();
        grads.add(x.transpose().matMul(du));
        grads.add(y.transpose().matMul(dv));
        if (spec.learnTemperature()) {
            grads.add(dLogits.mul(logits).sum().reshape(1));
        }
        return grads;
    }

    /** Backward of {@code û = u/‖u‖}: {@code (dû − û·⟨û, dû⟩)/‖u‖}. */
    private static NDArray unitBackward(NDArray dHat, NDArray hat, NDArray norm) {
        return dHat.sub(hat.mul(dHat.mul(hat).sum(new int[] {1}, true))).div(norm);
    }

    private static NDArray identity(NDManager manager, NDArray like) {
        return manager.eye((int) like.getShape().get(0)).toType(like.getDataType(), false);
    }

    @Override
    public int inputDim() {
        return spec.imageDim();
    }

    @Override
    public int targetDim() {
        return spec.textDim();
    }
}
