package io.metagrad.core.mgd;

import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.meta.Metaparameter;
import io.metagrad.core.output.OutputFunction;
import java.util.Objects;

/**
 * A metagradient question: differentiate {@code output(A(z))} with respect to {@code z}, where
 * {@code A} trains {@code config} on {@code data} with the metaparameter at its value.
 */
public record MetagradientProblem(
        TrainConfig config, TrainingData data, Metaparameter metaparameter, OutputFunction output) {

    public MetagradientProblem {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(metaparameter, "metaparameter");
        Objects.requireNonNull(output, "output");
        metaparameter.validate(config, data);
    }

    /** The same problem at another value of {@code z}. */
    public MetagradientProblem at(double[] z) {
        return new MetagradientProblem(config, data, metaparameter.withValue(z), output);
    }
}
