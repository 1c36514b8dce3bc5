package io.metagrad.spark.poison;

/** How {@code poison} changes the chosen ε-fraction of the training rows. */
public enum PoisonMethod {
    /** MGD-DP: metagradient ascent on the validation loss through the whole training run (method.md §4). */
    MGD("mgd"),
    /** Each chosen row's label replaced by a uniformly random other class. */
    RANDOM_FLIP("random-flip"),
    /** Each chosen row's label replaced by the class a clean reference model confuses it with most (its top wrong class). */
    ADVERSARIAL_FLIP("adversarial-flip"),
    /** One signed step up each chosen row's own loss gradient at the clean reference model, projected onto the constraint. */
    GRADIENT_ASCENT("gradient-ascent"),
    /**
     * Gradient canceling (Lu, Kamath &amp; Yu 2023): inputs chosen so that the training gradient vanishes at a
     * corrupted target parameter of lower accuracy.
     */
    GRADIENT_CANCELING("gradcancel");

    private final String cliName;

    PoisonMethod(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** Whether the method changes the inputs (and so needs a constraint on them). */
    boolean changesFeatures() {
        return this == GRADIENT_ASCENT || this == GRADIENT_CANCELING;
    }

    public static PoisonMethod parse(String name) {
        StringBuilder names = new StringBuilder();
        for (PoisonMethod m : values()) {
            if (m.cliName.equalsIgnoreCase(name)) {
                return m;
            }
            names.append(names.length() == 0 ? "" : ", ").append(m.cliName);
        }
        throw new IllegalArgumentException("--method " + name + " invalid; choose " + names);
    }
}
