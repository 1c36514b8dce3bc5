package io.metagrad.spark.tune;

/** How tune-lr searches for a schedule. */
public enum TuneMethod {
    /** Metagradient descent on the knots (and weight decay) in log space. */
    MGD("mgd"),
    /** Every schedule of the grid, one Spark task each. */
    GRID("grid"),
    /** {@code --trials} schedules drawn at random from the grid's ranges, one Spark task each. */
    RANDOM("random");

    private final String cliName;

    TuneMethod(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static TuneMethod parse(String name) {
        for (TuneMethod m : values()) {
            if (m.cliName.equalsIgnoreCase(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("tune-lr --method " + name + " invalid; choose mgd, grid or random");
    }
}
