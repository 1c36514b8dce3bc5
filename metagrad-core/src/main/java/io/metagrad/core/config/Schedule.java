package io.metagrad.core.config;

import java.util.Arrays;

/** The learning rate of every step. */
public sealed interface Schedule
        permits Schedule.Constant, Schedule.WarmupDecay, Schedule.OneCycle, Schedule.PerStep {

    /** The learning rate of step {@code t} of a run of {@code steps} steps. */
    double rate(int t, int steps);

    /** All {@code steps} rates. */
    default double[] rates(int steps) {
        double[] r = new double[steps];
        for (int t = 0; t < steps; t++) {
            r[t] = rate(t, steps);
        }
        return r;
    }

    /** One rate for every step. */
    record Constant(double lr) implements Schedule {
        public Constant {
            Checks.nonNegativeFinite("schedule.lr", lr);
        }

        @Override
        public double rate(int t, int steps) {
            return lr;
        }
    }

    /** Shape of the decay after warmup. */
    enum Decay {
        LINEAR,
        COSINE
    }

    /**
     * Linear warmup from 0 to {@code peak} over {@code warmupSteps}, then linear or cosine decay to
     * {@code peak·finalFraction} at the last step.
     */
    record WarmupDecay(double peak, int warmupSteps, Decay decay, double finalFraction) implements Schedule {
        public WarmupDecay {
            Checks.nonNegativeFinite("schedule.peak", peak);
            Checks.atLeast("schedule.warmupSteps", warmupSteps, 0);
            Checks.nonNegativeFinite("schedule.finalFraction", finalFraction);
            if (decay == null) {
                throw new IllegalArgumentException("schedule.decay must be LINEAR or COSINE");
            }
        }

        @Override
        public double rate(int t, int steps) {
            if (t < warmupSteps) {
                return peak * (t + 1) / warmupSteps;
            }
            int span = Math.max(1, steps - 1 - warmupSteps);
            double progress = Math.min(1.0, (double) (t - warmupSteps) / span);
            double shape = decay == Decay.LINEAR ? 1 - progress : 0.5 * (1 + Math.cos(Math.PI * progress));
            return peak * (finalFraction + (1 - finalFraction) * shape);
        }
    }

    /**
     * One-cycle: cosine rise from {@code peak/divFactor} to {@code peak} over the first
     * {@code pctStart} of the run, then cosine fall to {@code peak/(divFactor·finalDivFactor)}.
     */
    record OneCycle(double peak, double pctStart, double divFactor, double finalDivFactor) implements Schedule {
        public OneCycle {
            Checks.nonNegativeFinite("schedule.peak", peak);
            if (!(pctStart > 0 && pctStart < 1)) {
                throw new IllegalArgumentException("schedule.pctStart = " + pctStart + " invalid; must be in (0, 1)");
            }
            Checks.positiveFinite("schedule.divFactor", divFactor);
            Checks.positiveFinite("schedule.finalDivFactor", finalDivFactor);
        }

        @Override
        public double rate(int t, int steps) {
            double initial = peak / divFactor;
            double last = initial / finalDivFactor;
            int rise = Math.max(1, (int) Math.round(pctStart * steps) - 1);
            if (t <= rise) {
                return anneal(initial, peak, (double) t / rise);
            }
            int fall = Math.max(1, steps - 1 - rise);
            return anneal(peak, last, Math.min(1.0, (double) (t - rise) / fall));
        }

        private static double anneal(double from, double to, double progress) {
            return to + (from - to) * 0.5 * (1 + Math.cos(Math.PI * progress));
        }
    }

    /** An explicit rate per step; its length must equal the run's step count. */
    record PerStep(double[] values) implements Schedule {
        public PerStep {
            if (values == null || values.length == 0) {
                throw new IllegalArgumentException("schedule.values must hold one rate per step");
            }
            for (int t = 0; t < values.length; t++) {
                if (!Double.isFinite(values[t])) {
                    throw new IllegalArgumentException("schedule.values[" + t + "] = " + values[t] + " invalid; must be finite");
                }
            }
            values = values.clone();
        }

        @Override
        public double[] values() {
            return values.clone();
        }

        @Override
        public double rate(int t, int steps) {
            if (steps != values.length) {
                throw new IllegalArgumentException(
                        "schedule.values has " + values.length + " rates but the run has " + steps + " steps");
            }
            return values[t];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PerStep p && Arrays.equals(values, p.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return "PerStep" + Arrays.toString(values);
        }
    }
}
