package io.metagrad.spark.attribute;

import io.metagrad.spark.train.SmoothingKnobs;
import io.metagrad.spark.train.TrainingOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The part of an attribution run that {@code mgd attribute} ({@link AttributeParams}) and {@code mgd validate}
 * ({@link ValidateParams}) share: the tables, the output, how the models are trained, how the targets are split into
 * tasks and the REPLAY factor. The parameter-side counterpart of {@link AttributionFlags} and
 * {@link io.metagrad.spark.train.ModelFlags}.
 *
 * @param train features table of the training pool
 * @param targets features table of the target examples (labels, or text embeddings for CLIP)
 * @param output output directory
 * @param training how the model is trained
 * @param knobs smoothing knobs on top of {@code training}
 * @param classes number of classes; 0 = one more than the largest label
 * @param maxTargets use only the first this many targets in uid order; 0 = all
 * @param targetsPerTask targets computed together in one task (they share one forward run); default 8
 * @param replayK REPLAY branching factor; 0 = ⌈√T⌉
 * @param overwrite replace an existing output
 */
public record AttributionSetup(String train, String targets, String output, TrainingOptions training, SmoothingKnobs knobs,
        int classes, int maxTargets, int targetsPerTask, int replayK, boolean overwrite) {

    public AttributionSetup {
        Objects.requireNonNull(train, "attribution.train is required");
        Objects.requireNonNull(targets, "attribution.targets is required");
        Objects.requireNonNull(output, "attribution.output is required");
        Objects.requireNonNull(training, "attribution.training is required");
        Objects.requireNonNull(knobs, "attribution.knobs is required");
        if (maxTargets < 0) {
            throw new IllegalArgumentException("maxTargets = " + maxTargets + " invalid; must be >= 0 (0 = all)");
        }
        if (classes < 0 || targetsPerTask < 1 || (replayK != 0 && replayK < 2)) {
            throw new IllegalArgumentException("attribution: classes = " + classes + " (>= 0), targetsPerTask = "
                    + targetsPerTask + " (>= 1), replayK = " + replayK + " (0 or >= 2)");
        }
    }

    /** The shared entries of a run's description: train, targets, output, training, knobs, classes, max_targets, targets_per_task, replay_k. */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("train", train);
        m.put("targets", targets);
        m.put("output", output);
        m.put("training", training.describe());
        m.put("knobs", knobs.describe());
        m.put("classes", classes);
        m.put("max_targets", maxTargets);
        m.put("targets_per_task", targetsPerTask);
        m.put("replay_k", replayK);
        return m;
    }
}
