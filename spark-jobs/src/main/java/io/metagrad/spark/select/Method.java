package io.metagrad.spark.select;

import java.util.Locale;
import java.util.Optional;

/** The data-selection methods compared by {@code mgd evaluate} and offered by {@code mgd select --method}. */
public enum Method {
    /** Every pool item (the reference every gain is measured against). */
    ALL_DATA("all-data"),
    /** A uniformly random subset. */
    RANDOM("random"),
    /** Lowest loss under a reference model trained on the target split. */
    LOSS("loss"),
    /** Pair similarity (CLIP head) or label probability (classifiers) under a reference model. */
    CLIP_SCORE("clip-score"),
    /** LESS-style gradient cosine with the mean target gradient over warm-up checkpoints. */
    GRAD_SIM("grad-sim"),
    /** One-step influence (gradient dot product) at the model trained on all data. */
    INFLUENCE("influence"),
    /** Metagradient descent over counts (method.md §4), signed steps: {@link UpdateRule#SIGNED}. */
    MGD("mgd"),
    /** Metagradient descent under the budget by removal: {@link UpdateRule#PRUNE}. */
    MGD_PRUNE("mgd-prune");

    private final String cliName;

    Method(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** The method called {@code name} on the command line ({@code grad-sim}, {@code mgd}, …). */
    public static Method parse(String name) {
        for (Method m : values()) {
            if (m.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown selection method '" + name + "'; choose from random, loss, clip-score,"
                + " grad-sim, influence, mgd, mgd-prune");
    }

    /** The MGD update rule of an MGD method; empty for the others. */
    public Optional<UpdateRule> updateRule() {
        return switch (this) {
            case MGD -> Optional.of(UpdateRule.SIGNED);
            case MGD_PRUNE -> Optional.of(UpdateRule.PRUNE);
            default -> Optional.empty();
        };
    }

    @Override
    public String toString() {
        return cliName;
    }
}
