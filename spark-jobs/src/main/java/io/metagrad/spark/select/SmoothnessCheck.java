package io.metagrad.spark.select;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How {@code select} checks, before its MGD steps, that its training routine is smooth enough for
 * metagradients to be useful (method.md §5): the metasmoothness estimator along {@code directions}
 * random directions in the per-item weights, with step {@code step}; below {@code threshold} the run
 * warns and names the knobs that raise it.
 *
 * @param directions random directions, one Spark task each; 0 skips the check
 * @param step the estimator's {@code h}, in units of one count
 * @param threshold the value below which the run warns
 */
public record SmoothnessCheck(int directions, double step, double threshold) implements Serializable {

    /** What {@code select} does unless told otherwise. */
    public static SmoothnessCheck defaults() {
        return new SmoothnessCheck(2, 0.1, 0.5);
    }

    public SmoothnessCheck {
        if (directions < 0) {
            throw new IllegalArgumentException("select.smoothnessDirections = " + directions + " invalid; must be >= 0 (0 skips the check)");
        }
        if (!(step > 0) || Double.isInfinite(step)) {
            throw new IllegalArgumentException("select.smoothnessStep = " + step + " invalid; must be > 0");
        }
        if (!(threshold >= -1 && threshold <= 1)) {
            throw new IllegalArgumentException("select.smoothnessThreshold = " + threshold + " invalid; must be in [-1, 1]");
        }
    }

    boolean enabled() {
        return directions > 0;
    }

    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("directions", directions);
        m.put("step", step);
        m.put("threshold", threshold);
        return m;
    }
}
