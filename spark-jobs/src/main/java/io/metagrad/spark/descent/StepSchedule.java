package io.metagrad.spark.descent;

/** The step size over the MGD steps: constant, or decaying linearly or by a cosine to a final fraction. */
public enum StepSchedule {
    CONSTANT, LINEAR, COSINE;

    /**
     * The multiplier of MGD step {@code s} of {@code steps} (s = 1 … steps): 1 at the first step,
     * {@code finalFraction} at the last.
     */
    double factor(int s, int steps, double finalFraction) {
        if (this == CONSTANT || steps <= 1) {
            return 1;
        }
        double progress = (double) (s - 1) / (steps - 1);
        double shape = this == LINEAR ? 1 - progress : 0.5 * (1 + Math.cos(Math.PI * progress));
        return finalFraction + (1 - finalFraction) * shape;
    }

    /** Parses {@code constant}, {@code linear} or {@code cosine}. */
    public static StepSchedule parse(String name) {
        for (StepSchedule s : values()) {
            if (s.name().equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("--step-schedule " + name + " invalid; choose constant, linear or cosine");
    }
}
