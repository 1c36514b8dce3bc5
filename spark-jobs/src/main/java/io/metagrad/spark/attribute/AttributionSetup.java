package io.metagrad.spark.attribute;

import io.metagrad.spark.train.SmoothingKnobs;
import io.metagrad.spark.train.TrainingOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

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

    /**
     * A command's {@code describe()} map: train, targets, [output], training, knobs, classes, max_targets,
     * [targets_per_task], then the command's own entries, written by {@code own}, then replay_k.
     *
     * @param withOutputAndTaskSize whether to write output and targets_per_task, which say where and in what task size a run
     *     went rather than what it computed: attribute's manifest has them, validate's {@code lds.json} does not
     */
    Map<String, Object> describe(boolean withOutputAndTaskSize, Consumer<Map<String, Object>> own) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("train", train);
        m.put("targets", targets);
        if (withOutputAndTaskSize) {
            m.put("output", output);
        }
        m.put("training", training.describe());
        m.put("knobs", knobs.describe());
        m.put("classes", classes);
        m.put("max_targets", maxTargets);
        if (withOutputAndTaskSize) {
            m.put("targets_per_task", targetsPerTask);
        }
        own.accept(m);
        m.put("replay_k", replayK);
        return m;
    }
}
