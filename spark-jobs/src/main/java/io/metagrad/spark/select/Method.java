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
    /** DataComp "no filtering": the whole pool, as a selection (to submit or to compare with). */
    NONE("none"),
    /** DataComp "basic filtering": caption length, image size and aspect ratio (pool metadata). */
    BASIC("basic"),
    /** DataComp "text-based": captions that mention a target class name (from the class prompts). */
    TEXT_BASED("text-based"),
    /** DataComp "image-based": pool items whose KMeans cluster is nearest to some target image. */
    IMAGE_BASED("image-based"),
    /** DataComp "CLIP score ∩ image-based" (the recipe behind DataComp-1B). */
    CLIP_IMAGE("clip-image"),
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
                + " grad-sim, influence, none, basic, text-based, image-based, clip-image, mgd, mgd-prune");
    }

    /**
     * Whether this is one of DataComp's leaderboard filters that {@link FilterSelectJob} runs from pool
     * metadata and embeddings ({@link #CLIP_SCORE} is one when ranked by a metadata score column).
     */
    public boolean isFilter(boolean scoreColumn) {
        return switch (this) {
            case NONE, BASIC, TEXT_BASED, IMAGE_BASED, CLIP_IMAGE -> true;
            case CLIP_SCORE -> scoreColumn;
            default -> false;
        };
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
