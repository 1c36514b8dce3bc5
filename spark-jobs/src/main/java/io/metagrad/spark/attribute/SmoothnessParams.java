package io.metagrad.spark.attribute;

import io.metagrad.spark.train.SmoothingKnobs;
import io.metagrad.spark.train.TrainingOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code mgd smoothness} does: metasmoothness (method.md §5) of training on a features table,
 * along random directions in the per-example weights (at all weights 1).
 *
 * @param train features table
 * @param output output directory ({@code smoothness.json}); null to only print
 * @param training how the model is trained
 * @param knobs smoothing knobs
 * @param classes number of classes; 0 = one more than the largest label
 * @param directions random directions {@code D}; default 3
 * @param step step {@code h}; default 0.1
 * @param seed seeds the directions
 * @param overwrite replace an existing output
 */
public record SmoothnessParams(String train, String output, TrainingOptions training, SmoothingKnobs knobs, int classes,
        int directions, double step, long seed, boolean overwrite) {

    public SmoothnessParams {
        Objects.requireNonNull(train, "smoothness.train is required");
        Objects.requireNonNull(training, "smoothness.training is required");
        Objects.requireNonNull(knobs, "smoothness.knobs is required");
        if (directions < 1 || !(step > 0) || classes < 0) {
            throw new IllegalArgumentException("smoothness: directions = " + directions + " (>= 1), step = " + step
                    + " (> 0), classes = " + classes + " (>= 0)");
        }
    }

    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("train", train);
        m.put("training", training.describe());
        m.put("knobs", knobs.describe());
        m.put("classes", classes);
        m.put("directions", directions);
        m.put("step", step);
        m.put("seed", seed);
        return m;
    }
}
