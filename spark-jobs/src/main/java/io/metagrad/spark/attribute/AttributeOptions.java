package io.metagrad.spark.attribute;

import io.metagrad.spark.train.ModelFlags;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The command-line spelling of {@link AttributeParams}, shared by {@code mgd attribute} and
 * {@code spark-submit --class io.metagrad.spark.attribute.AttributeJob}.
 */
public final class AttributeOptions {

    @Mixin
    AttributionFlags io = new AttributionFlags();

    @Option(names = "--top", defaultValue = "10", description = "Helpful and harmful examples listed per target (default: ${DEFAULT-VALUE}).")
    int top;

    @Mixin
    ModelFlags model = new ModelFlags();

    /** The validated parameters. */
    public AttributeParams toParams() {
        return new AttributeParams(io.setup(model), top);
    }

    /** {@code --top}: how many helpful and harmful examples are listed per target. */
    public int top() {
        return top;
    }
}
