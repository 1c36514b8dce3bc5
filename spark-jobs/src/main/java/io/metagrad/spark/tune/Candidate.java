package io.metagrad.spark.tune;

import io.metagrad.core.config.Schedule;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One schedule of the grid or of random search: a shape, a peak rate, a linear warmup (as a share of
 * the run) and, after it, a decay to {@code finalFraction · peak} — cosine or linear; {@code constant}
 * holds the peak after the warmup.
 */
record Candidate(Shape shape, double peak, double warmupFraction, double finalFraction) implements Serializable {

    /** The decay after warmup. */
    enum Shape { COSINE, LINEAR, CONSTANT }

    Candidate {
        if (!(peak > 0) || warmupFraction < 0 || warmupFraction >= 1 || finalFraction < 0 || finalFraction > 1) {
            throw new IllegalArgumentException("schedule candidate " + shape + " peak " + peak + " warmup " + warmupFraction
                    + " final " + finalFraction + " invalid");
        }
    }

    /** Every step's rate over {@code steps} steps (each &gt; 0: a warmup starts at {@code peak/w}, not 0). */
    double[] rates(int steps) {
        int warmup = (int) Math.round(warmupFraction * steps);
        Schedule s = switch (shape) {
            case COSINE -> new Schedule.WarmupDecay(peak, warmup, Schedule.Decay.COSINE, finalFraction);
            case LINEAR -> new Schedule.WarmupDecay(peak, warmup, Schedule.Decay.LINEAR, finalFraction);
            case CONSTANT -> new Schedule.WarmupDecay(peak, warmup, Schedule.Decay.LINEAR, 1);
        };
        double[] r = s.rates(steps);
        // a decay to exactly 0 ends with a zero rate, which an explicit schedule may not hold: keep it positive
        double floor = peak * 1e-6;
        for (int t = 0; t < r.length; t++) {
            r[t] = Math.max(r[t], floor);
        }
        return r;
    }

    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("shape", shape.name().toLowerCase(Locale.ROOT));
        m.put("peak", peak);
        m.put("warmup_fraction", warmupFraction);
        m.put("final_fraction", shape == Shape.CONSTANT ? 1.0 : finalFraction);
        return m;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s peak %.4g, warmup %.0f%%, final %.0f%%", shape.name().toLowerCase(Locale.ROOT), peak,
                100 * warmupFraction, 100 * (shape == Shape.CONSTANT ? 1 : finalFraction));
    }
}
