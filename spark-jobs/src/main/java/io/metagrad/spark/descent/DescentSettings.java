package io.metagrad.spark.descent;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the metagradient descent runs: {@code z_s = Π(z_{s-1} ± η_s · dir(g_{s-1}))} for s = 1 … S,
 * where {@code g_{s-1}} is the metagradient at {@code z_{s-1}}, {@code dir} the {@link StepRule},
 * {@code η_s = stepSize · schedule(s)} and {@code Π} the job's projection; {@code +} when the job
 * maximizes its objective, {@code −} when it minimizes it.
 *
 * @param steps MGD steps S (≥ 1); step 0 evaluates the starting point
 * @param stepSize {@code η}, &gt; 0, in the units of {@code z}
 * @param schedule how {@code η} changes over the steps
 * @param finalFraction {@code η_S / η} for the decaying schedules, in [0, 1]
 * @param rule signed or normalized steps
 * @param stopAfter stop once this step is complete (0 = run all S); the run resumes later
 */
public record DescentSettings(int steps, double stepSize, StepSchedule schedule, double finalFraction, StepRule rule,
        int stopAfter) implements Serializable {

    private static final long serialVersionUID = 1L;

    public DescentSettings {
        check(steps >= 1, "--mgd-steps", steps, "must be >= 1");
        check(stepSize > 0 && Double.isFinite(stepSize), "--step-size", stepSize, "must be > 0");
        check(schedule != null, "--step-schedule", schedule, "is required");
        check(finalFraction >= 0 && finalFraction <= 1, "--final-step-fraction", finalFraction, "must be in [0, 1]");
        check(rule != null, "--update", rule, "is required");
        check(stopAfter >= 0 && stopAfter <= steps, "--stop-after", stopAfter, "must be in [0, --mgd-steps]");
    }

    /** {@code η_s}, s = 1 … S. */
    public double stepSize(int s) {
        return stepSize * schedule.factor(s, steps, finalFraction);
    }

    /** The last step this invocation computes. */
    int lastStepThisRun() {
        return stopAfter > 0 ? stopAfter : steps;
    }

    /** Everything but {@code steps} and {@code stopAfter}: what the iterates so far depend on. */
    public Map<String, String> resumeParams() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("step_size", String.valueOf(stepSize));
        m.put("step_schedule", schedule.name());
        m.put("final_step_fraction", String.valueOf(finalFraction));
        m.put("update", rule.cliName());
        // a decaying schedule's η_s depends on S
        m.put("planned_steps", schedule == StepSchedule.CONSTANT ? "any" : String.valueOf(steps));
        return m;
    }

    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mgd_steps", steps);
        m.put("step_size", stepSize);
        m.put("step_schedule", schedule.name());
        m.put("final_step_fraction", finalFraction);
        m.put("update", rule.cliName());
        return m;
    }

    private static void check(boolean ok, String field, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(field + " = " + value + " invalid; " + rule);
        }
    }
}
