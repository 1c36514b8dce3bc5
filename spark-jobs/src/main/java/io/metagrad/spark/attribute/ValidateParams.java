package io.metagrad.spark.attribute;

import java.util.Map;
import java.util.Objects;

/**
 * What {@code mgd validate} does: the linear datamodeling score of exact influence and of the
 * final-model baselines.
 *
 * @param setup the tables, the output ({@code lds.json}, {@code lds.md}, {@code lds.png}), how the models are trained
 *     and how the targets are split into tasks
 * @param subsets number of random removal sets {@code M}; default 100
 * @param removeFraction fraction {@code α} removed in each; default 0.01
 * @param bootstrap bootstrap resamples for the interval; default 1000
 * @param seed seeds the removal sets and the bootstrap
 */
public record ValidateParams(AttributionSetup setup, int subsets, double removeFraction, int bootstrap, long seed) {

    public ValidateParams {
        Objects.requireNonNull(setup, "validate.setup is required");
        if (subsets < 3) {
            throw new IllegalArgumentException("validate.subsets = " + subsets + " invalid; must be >= 3");
        }
        if (!(removeFraction > 0 && removeFraction < 1)) {
            throw new IllegalArgumentException("validate.removeFraction = " + removeFraction + " invalid; must be in (0, 1)");
        }
        if (bootstrap < 10) {
            throw new IllegalArgumentException("validate: bootstrap = " + bootstrap + " (>= 10)");
        }
    }

    public Map<String, Object> describe() {
        Map<String, Object> m = setup.describe();
        m.put("subsets", subsets);
        m.put("remove_fraction", removeFraction);
        m.put("bootstrap", bootstrap);
        m.put("seed", seed);
        return m;
    }
}
