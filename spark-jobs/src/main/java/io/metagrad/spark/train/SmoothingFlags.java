package io.metagrad.spark.train;

import io.metagrad.core.model.ModelSpec;
import picocli.CommandLine.Option;

/** The command-line spelling of {@link SmoothingKnobs}, as a picocli mixin. */
public final class SmoothingFlags {

    @Option(names = "--optimizer", defaultValue = "SGD",
            description = "${COMPLETION-CANDIDATES}; ADAM uses --momentum as beta1 (default: ${DEFAULT-VALUE}).")
    SmoothingKnobs.Optimizer optimizer;

    @Option(names = "--eps-root", defaultValue = "1e-8", description = "Adam epsilon inside the square root (default: ${DEFAULT-VALUE}).")
    double epsRoot;

    @Option(names = "--normalize", description = "Layer-normalize MLP pre-activations.")
    boolean normalize;

    @Option(names = "--activation", defaultValue = "TANH", description = "MLP activation: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    ModelSpec.Activation activation;

    @Option(names = "--logit-scale", defaultValue = "1", description = "Scale of the MLP output logits (default: ${DEFAULT-VALUE}).")
    double logitScale;

    @Option(names = "--grad-clip", defaultValue = "0", description = "Clip the gradient's global norm; 0 = off (default: ${DEFAULT-VALUE}).")
    double gradClip;

    public SmoothingKnobs toKnobs() {
        return new SmoothingKnobs(optimizer, epsRoot, normalize, activation, logitScale, gradClip);
    }
}
