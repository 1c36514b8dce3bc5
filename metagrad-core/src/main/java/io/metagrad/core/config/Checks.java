package io.metagrad.core.config;

/** Argument checks whose messages name the field, the value and the rule. */
public final class Checks {

    private Checks() {}

    public static void positive(String field, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " = " + value + " invalid; must be > 0");
        }
    }

    public static void atLeast(String field, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(field + " = " + value + " invalid; must be >= " + min);
        }
    }

    public static void positiveFinite(String field, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(field + " = " + value + " invalid; must be finite and > 0");
        }
    }

    public static void nonNegativeFinite(String field, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(field + " = " + value + " invalid; must be finite and >= 0");
        }
    }

    public static void inUnitInterval(String field, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(field + " = " + value + " invalid; must be in [0, 1)");
        }
    }
}
