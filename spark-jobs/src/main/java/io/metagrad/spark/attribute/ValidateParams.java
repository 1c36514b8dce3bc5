package io.metagrad.spark.attribute;

import io.metagrad.spark.train.SmoothingKnobs;
import io.metagrad.spark.train.TrainingOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code mgd validate} does: the linear datamodeling score of exact influence and of the
 * final-model baselines.
 *
 * @param train features table of the training pool
 * @param targets features table of the target examples
 * @param output output directory ({@code lds.json}, {@code lds.md}, {@code lds.png})
 * @param training how the model is trained
 * @param knobs smoothing knobs
 * @param classes number of classes; 0 = one more than the largest label
 * @param subsets number of random removal sets {@code M}; default 100
 * @param removeFraction fraction {@code α} removed in each; default 0.01
 * @param bootstrap bootstrap resamples for the interval; default 1000
 * @param seed seeds the removal sets and the bootstrap
 * @param maxTargets use only the first this many targets in uid order; 0 = all
 * @param targetsPerTask targets per attribution task; default 8
 * @param replayK REPLAY factor; 0 = ⌈√T⌉
 * @param overwrite replace an existing output
 */
public record ValidateParams(String train, String targets, String output, TrainingOptions training, SmoothingKnobs knobs,
        int classes, int maxTargets, int subsets, double removeFraction, int bootstrap, long seed, int targetsPerTask, int replayK,
        boolean overwrite) {

    public ValidateParams {
        Objects.requireNonNull(train, "validate.train is required");
        Objects.requireNonNull(targets, "validate.targets is required");
        Objects.requireNonNull(output, "validate.output is required");
        Objects.requireNonNull(training, "validate.training is required");
        Objects.requireNonNull(knobs, "validate.knobs is required");
        if (subsets < 3) {
            throw new IllegalArgumentException("validate.subsets = " + subsets + " invalid; must be >= 3");
        }
        if (!(removeFraction > 0 && removeFraction < 1)) {
            throw new IllegalArgumentException("validate.removeFraction = " + removeFraction + " invalid; must be in (0, 1)");
        }
        if (maxTargets < 0) {
            throw new IllegalArgumentException("maxTargets = " + maxTargets + " invalid; must be >= 0 (0 = all)");
        }
        if (bootstrap < 10 || targetsPerTask < 1 || classes < 0 || (replayK != 0 && replayK < 2)) {
            throw new IllegalArgumentException("validate: bootstrap = " + bootstrap + " (>= 10), targetsPerTask = "
                    + targetsPerTask + " (>= 1), classes = " + classes + " (>= 0), replayK = " + replayK + " (0 or >= 2)");
        }
    }

    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("train", train);
        m.put("targets", targets);
        m.put("training", training.describe());
        m.put("knobs", knobs.describe());
        m.put("classes", classes);
        m.put("max_targets", maxTargets);
        m.put("subsets", subsets);
        m.put("remove_fraction", removeFraction);
        m.put("bootstrap", bootstrap);
        m.put("seed", seed);
        m.put("replay_k", replayK);
        return m;
    }
}
