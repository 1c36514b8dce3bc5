package io.metagrad.spark.select;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.mgd.Evaluation;
import io.metagrad.core.output.OutputFunction;
import io.metagrad.spark.stream.IndexedPool;
import io.metagrad.spark.train.FeatureRows;
import io.metagrad.spark.train.TrainingOptions;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;



/**
 * What every MGD replica needs besides the pool (which it streams from a layout), broadcast once per
 * run: the target part (whose loss the metagradients descend) and the held-out part (which scores
 * iterates), how rows become training targets, and the class prompts of a zero-shot target. The loss
 * is the model's mean loss on the part, or — for a CLIP head given class prompts — the zero-shot
 * classification loss of the part's images against the prompts. Small by nature: never the pool.
 */
final class SelectionData implements Serializable {

    private static final long serialVersionUID = 1L;

    /** How rows become training targets. */
    enum Objective {
        /** Integer class labels, one-hot. */
        LABELS,
        /** The {@code target} vectors as soft labels. */
        SOFT_LABELS,
        /** Features paired with {@code target} text embeddings (CLIP head). */
        PAIRS
    }

    private final FeatureRows target;
    private final FeatureRows heldout;
    private final Objective objective;
    private final int outputDim;
    private final double[] prompts;
    private transient TrainingData targetData;
    private transient TrainingData heldoutData;

    private SelectionData(FeatureRows target, FeatureRows heldout, Objective objective, int outputDim, double[] prompts) {
        this.target = target;
        this.heldout = heldout;
        this.objective = objective;
        this.outputDim = outputDim;
        this.prompts = prompts;
    }

    /**
     * Checks that the pool (by the facts Spark computed), the target and held-out parts fit each
     * other and the model, and decides the objective: class labels when every row has one, else the
     * {@code target} vectors (always for the CLIP head).
     *
     * @param classes number of classes, or 0 to use one more than the largest label seen
     * @param prompts CLIP head only: class-prompt embeddings {@code [C × text width]}, row-major; the target and
     *     held-out losses are then zero-shot losses of their labelled images. Null for the models' own losses.
     */
    static SelectionData of(IndexedPool pool, FeatureRows target, FeatureRows heldout, TrainingOptions options, int classes,
            double[] prompts) {
        if (prompts != null && !options.pairsFeaturesWithTargets()) {
            throw new IllegalArgumentException("--prompts (zero-shot target) needs --model CLIP");
        }
        for (FeatureRows e : new FeatureRows[] {target, heldout}) {
            if (e.width() != pool.width()) {
                throw new IllegalArgumentException("features table " + e.source() + " has feature width " + e.width()
                        + " but the pool " + pool.source() + " has " + pool.width());
            }
        }
        if (pool.size() < options.batchSize()) {
            throw new IllegalArgumentException("features table " + pool.source() + " has " + pool.size()
                    + " rows, fewer than train.batchSize = " + options.batchSize());
        }
        FeatureRows[] parts = {target, heldout};
        if (options.pairsFeaturesWithTargets()) {
            requireTargets(pool, parts, "the CLIP head pairs features with text embeddings");
            if (prompts != null) {
                requireZeroShotLabels(parts, prompts, pool.targetWidth());
            }
            return new SelectionData(target, heldout, Objective.PAIRS, pool.targetWidth(), prompts);
        }
        String unlabeled = pool.fullyLabeled() ? firstUnlabeled(parts)
                : "features table " + pool.source() + " uid " + pool.firstUid(col("label").isNull()).orElseThrow();
        if (unlabeled == null) {
            int maxLabel = Math.max(pool.maxLabel(), Math.max(target.maxLabel(), heldout.maxLabel()));
            int c = io.metagrad.spark.train.Classes.of(classes, maxLabel);
            if (maxLabel >= c) {
                throw new IllegalArgumentException("a features table has label " + maxLabel + " but --classes = " + c);
            }
            return new SelectionData(target, heldout, Objective.LABELS, c, null);
        }
        if (classes > 0) {
            throw new IllegalArgumentException(unlabeled + ": field 'label' is null but --classes was given");
        }
        String why = "some rows have no label (" + unlabeled + "), so the target vectors are used as soft labels";
        requireTargets(pool, parts, why);
        for (FeatureRows e : parts) {
            for (int r = 0; r < e.size(); r++) {
                for (float v : e.target(r)) {
                    if (v < 0) {
                        throw negativeSoftLabel(e.source() + " uid " + e.uid(r), v);
                    }
                }
            }
        }
        java.util.Optional<String> negative = pool.firstUid(expr("exists(target, x -> x < 0)"));
        if (negative.isPresent()) {
            throw new IllegalArgumentException("features table " + pool.source() + " uid " + negative.get()
                    + ": field 'target' has a negative value; soft labels must be >= 0 (use --model CLIP for text embeddings)");
        }
        return new SelectionData(target, heldout, Objective.SOFT_LABELS, pool.targetWidth(), null);
    }

    private static IllegalArgumentException negativeSoftLabel(String where, float v) {
        return new IllegalArgumentException("features table " + where + ": field 'target' has negative value " + v
                + "; soft labels must be >= 0 (use --model CLIP for text embeddings)");
    }

    private static void requireZeroShotLabels(FeatureRows[] parts, double[] prompts, int textWidth) {
        if (prompts.length == 0 || prompts.length % textWidth != 0) {
            throw new IllegalArgumentException("class prompts have " + prompts.length + " values, not a multiple of the text width "
                    + textWidth);
        }
        int classes = prompts.length / textWidth;
        for (FeatureRows e : parts) {
            for (int r = 0; r < e.size(); r++) {
                if (e.label(r) < 0 || e.label(r) >= classes) {
                    throw new IllegalArgumentException("features table " + e.source() + " uid " + e.uid(r) + ": field 'label' = "
                            + (e.label(r) < 0 ? "null" : e.label(r)) + " invalid; the zero-shot target needs a class in [0, "
                            + classes + ") (one per prompt)");
                }
            }
        }
    }

    private static String firstUnlabeled(FeatureRows[] all) {
        for (FeatureRows e : all) {
            for (int r = 0; r < e.size(); r++) {
                if (e.label(r) < 0) {
                    return "features table " + e.source() + " uid " + e.uid(r);
                }
            }
        }
        return null;
    }

    private static void requireTargets(IndexedPool pool, FeatureRows[] parts, String why) {
        if (pool.targetWidth() == 0) {
            throw new IllegalArgumentException("features table " + pool.source() + ": field 'target' is null; " + why);
        }
        int width = pool.targetWidth();
        for (FeatureRows e : parts) {
            for (int r = 0; r < e.size(); r++) {
                if (!e.hasTarget(r)) {
                    throw new IllegalArgumentException("features table " + e.source() + " uid " + e.uid(r)
                            + ": field 'target' is null; " + why);
                }
            }
            if (e.targetWidth() != width) {
                throw new IllegalArgumentException("features table " + e.source() + " has target width " + e.targetWidth()
                        + " but the pool has " + width);
            }
        }
    }

    FeatureRows target() { return target; }
    FeatureRows heldout() { return heldout; }
    Objective objective() { return objective; }

    /** Classes, or the target-vector width. */
    int outputDim() { return outputDim; }

    /** Whether accuracy is meaningful (classification by labels or soft labels, or zero-shot). */
    boolean classifies() { return objective != Objective.PAIRS || zeroShot(); }

    /** SHA-256 of the class prompts' values, when there are prompts: a resumed run must use the same. */
    Optional<String> promptsFingerprint() {
        if (prompts == null) {
            return Optional.empty();
        }
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            ByteBuffer b = ByteBuffer.allocate(8 * prompts.length);
            for (double v : prompts) {
                b.putDouble(v);
            }
            d.update(b.array());
            return Optional.of(HexFormat.of().formatHex(d.digest()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** Whether the target and held-out losses are CLIP zero-shot losses against class prompts. */
    boolean zeroShot() { return prompts != null; }

    /** What the metagradients descend: the loss on the target part. */
    OutputFunction targetLoss() {
        return lossOn(target, targetData());
    }

    /** What picks the best iterate: the loss on the held-out part. */
    OutputFunction heldoutLoss() {
        return lossOn(heldout, heldoutData());
    }

    private OutputFunction lossOn(FeatureRows part, TrainingData data) {
        if (!zeroShot()) {
            return OutputFunction.meanLoss(data);
        }
        return new OutputFunction.ZeroShotLoss(data.features(), prompts, part.labels(), part.width(), outputDim);
    }

    /** Accuracy on the held-out part of a model trained with {@code config}: zero-shot against the prompts, or by logits. */
    double heldoutAccuracy(TrainConfig config, List<double[]> params) {
        if (!zeroShot()) {
            return Evaluation.accuracy(config, params, heldoutData());
        }
        return Evaluation.zeroShotAccuracy(config, params, heldoutData().features(), prompts, heldout.labels());
    }

    synchronized TrainingData targetData() {
        if (targetData == null) {
            targetData = toData(target);
        }
        return targetData;
    }

    synchronized TrainingData heldoutData() {
        if (heldoutData == null) {
            heldoutData = toData(heldout);
        }
        return heldoutData;
    }

    /** A part's rows as data of this objective (labels one-hot, or the target vectors). */
    private TrainingData toData(FeatureRows e) {
        return objective == Objective.LABELS ? e.withLabels(outputDim) : e.withTargets();
    }

    /** Whether pool rows are read with their labels (one-hot) rather than their target vectors. */
    boolean labels() {
        return objective == Objective.LABELS;
    }
}
