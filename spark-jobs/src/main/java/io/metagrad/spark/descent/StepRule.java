package io.metagrad.spark.descent;

/** How a metagradient becomes a step direction. */
public enum StepRule {
    /** {@code sign(g)}: every coordinate moves by the step size (projected gradient sign steps). */
    SIGNED,
    /** {@code g / rms(g)}: the gradient's direction, scaled so that its root-mean-square coordinate is 1. */
    NORMALIZED;

    /** The direction for {@code g}; all zeros when {@code g} is. */
    double[] direction(double[] g) {
        double[] d = new double[g.length];
        if (this == SIGNED) {
            for (int i = 0; i < g.length; i++) {
                d[i] = Math.signum(g[i]);
            }
            return d;
        }
        double sq = 0;
        for (double v : g) {
            sq += v * v;
        }
        double rms = Math.sqrt(sq / Math.max(1, g.length));
        if (rms > 0) {
            for (int i = 0; i < g.length; i++) {
                d[i] = g[i] / rms;
            }
        }
        return d;
    }

    /** The name on the command line. */
    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses {@code signed} or {@code normalized}. */
    public static StepRule parse(String name) {
        for (StepRule r : values()) {
            if (r.cliName().equalsIgnoreCase(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("--update " + name + " invalid; choose signed or normalized");
    }
}
