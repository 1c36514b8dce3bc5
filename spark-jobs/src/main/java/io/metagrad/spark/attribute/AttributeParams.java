package io.metagrad.spark.attribute;

import java.util.Map;
import java.util.Objects;

/**
 * What {@code mgd attribute} does.
 *
 * @param setup the tables, the output ({@code scores/}, {@code top/}, {@code _metagrad.json}), how the models are
 *     trained and how the targets are split into tasks
 * @param top how many helpful and harmful examples to list per target; default 10
 */
public record AttributeParams(AttributionSetup setup, int top) {

    public AttributeParams {
        Objects.requireNonNull(setup, "attribute.setup is required");
        if (top < 1) {
            throw new IllegalArgumentException("attribute: top = " + top + " (>= 1)");
        }
    }

    public Map<String, Object> describe() {
        Map<String, Object> m = setup.describe();
        m.put("top", top);
        return m;
    }
}
