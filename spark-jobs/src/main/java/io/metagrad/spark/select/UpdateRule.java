package io.metagrad.spark.select;

import java.util.Locale;

/** How an MGD step changes the counts. */
public enum UpdateRule {
    /**
     * method.md §4: {@code c ← max(0, c − m·sign(g) ⊙ mask)} over the whole pool, training on the
     * pool weighted by the counts; a held-out part of the target set picks the best iterate, and a
     * budget is filled from it at the end.
     */
    SIGNED,
    /**
     * Budgeted descent by removal: each step trains on the kept items only (exactly as the
     * downstream model will), differentiates the target loss with respect to their weights and drops
     * the {@code pruneFraction} of the pool whose removal the metagradient predicts to lower the
     * target loss most (largest {@code g}: {@code Δloss ≈ −g} for weight 1 → 0), until the budget
     * is left. Every item is looked at again after each retraining; the whole target set drives the
     * metagradients unless a held-out part is asked for.
     */
    PRUNE;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
