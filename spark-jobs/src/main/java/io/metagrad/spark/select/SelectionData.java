package io.metagrad.spark.select;

import io.metagrad.core.data.TrainingData;
import io.metagrad.spark.train.TrainingOptions;
import java.io.Serializable;

/**
 * What every MGD replica needs, broadcast once per run: the candidate pool, the target part (whose
 * mean loss the metagradients descend) and the held-out part (which scores iterates), with how
 * their rows become training data.
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

    private final Examples pool;
    private final Examples target;
    private final Examples heldout;
    private final Objective objective;
    private final int outputDim;
    private transient TrainingData poolData;
    private transient TrainingData targetData;
    private transient TrainingData heldoutData;

    private SelectionData(Examples pool, Examples target, Examples heldout, Objective objective, int outputDim) {
        this.pool = pool;
        this.target = target;
        this.heldout = heldout;
        this.objective = objective;
        this.outputDim = outputDim;
    }

    /**
     * Checks that the three tables fit each other and the model, and decides the objective: class
     * labels when every row has one, else the {@code target} vectors (always for the CLIP head).
     *
     * @param classes number of classes, or 0 to use one more than the largest label seen
     */
    static SelectionData of(Examples pool, Examples target, Examples heldout, TrainingOptions options, int classes) {
        for (Examples e : new Examples[] {target, heldout}) {
            if (e.width() != pool.width()) {
                throw new IllegalArgumentException("features table " + e.source() + " has feature width " + e.width()
                        + " but the pool " + pool.source() + " has " + pool.width());
            }
        }
        if (pool.size() < options.batchSize()) {
            throw new IllegalArgumentException("features table " + pool.source() + " has " + pool.size()
                    + " rows, fewer than train.batchSize = " + options.batchSize());
        }
        Examples[] all = {pool, target, heldout};
        if (options.pairsFeaturesWithTargets()) {
            requireTargets(all, "the CLIP head pairs features with text embeddings");
            return new SelectionData(pool, target, heldout, Objective.PAIRS, pool.targetWidth());
        }
        String unlabeled = firstUnlabeled(all);
        if (unlabeled == null) {
            int maxLabel = Math.max(pool.maxLabel(), Math.max(target.maxLabel(), heldout.maxLabel()));
            int c = classes > 0 ? classes : Math.max(2, maxLabel + 1);
            if (maxLabel >= c) {
                throw new IllegalArgumentException("a features table has label " + maxLabel + " but --classes = " + c);
            }
            return new SelectionData(pool, target, heldout, Objective.LABELS, c);
        }
        if (classes > 0) {
            throw new IllegalArgumentException(unlabeled + ": field 'label' is null but --classes was given");
        }
        requireTargets(all, "some rows have no label (" + unlabeled + "), so the target vectors are used as soft labels");
        for (Examples e : all) {
            for (int r = 0; r < e.size(); r++) {
                for (float v : e.target(r)) {
                    if (v < 0) {
                        throw new IllegalArgumentException("features table " + e.source() + " uid " + e.uid(r)
                                + ": field 'target' has negative value " + v + "; soft labels must be >= 0 (use --model CLIP for"
                                + " text embeddings)");
                    }
                }
            }
        }
        return new SelectionData(pool, target, heldout, Objective.SOFT_LABELS, pool.targetWidth());
    }

    private static String firstUnlabeled(Examples[] all) {
        for (Examples e : all) {
            for (int r = 0; r < e.size(); r++) {
                if (e.label(r) < 0) {
                    return "features table " + e.source() + " uid " + e.uid(r);
                }
            }
        }
        return null;
    }

    private static void requireTargets(Examples[] all, String why) {
        int width = all[0].targetWidth();
        for (Examples e : all) {
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

    Examples pool() { return pool; }
    Examples target() { return target; }
    Examples heldout() { return heldout; }
    Objective objective() { return objective; }

    /** Classes, or the target-vector width. */
    int outputDim() { return outputDim; }

    /** Whether accuracy is meaningful (classification by labels or soft labels). */
    boolean classifies() { return objective != Objective.PAIRS; }

    synchronized TrainingData poolData() {
        if (poolData == null) {
            poolData = toData(pool);
        }
        return poolData;
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

    /** Any other table (e.g. a test set) as training data of this objective. */
    TrainingData toData(Examples e) {
        if (e.width() != pool.width()) {
            throw new IllegalArgumentException("features table " + e.source() + " has feature width " + e.width()
                    + " but the pool has " + pool.width());
        }
        return objective == Objective.LABELS ? e.withLabels(outputDim) : e.withTargets();
    }
}
