package io.metagrad.spark.evaluate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How {@code evaluate} runs its MGD methods ({@code mgd}, {@code mgd-prune}); see {@code mgd select}.
 *
 * @param steps signed MGD steps S; default 10
 * @param replicas metagradient replicas per step; default 2
 * @param stepSize signed count change per step; default 1
 * @param maskProbability signed Bernoulli p; default 0.2
 * @param pruneFraction share of the pool one prune step drops; default 0.02
 * @param zeroShotTarget with the CLIP head and prompts: descend the target images' zero-shot loss (true)
 *     or the target pairs' contrastive loss (false, default: it overfitted less on a development sample;
 *     see docs/results.md)
 */
public record MgdSettings(int steps, int replicas, int stepSize, double maskProbability, double pruneFraction,
        boolean zeroShotTarget) {

    public MgdSettings {
        if (steps < 1 || replicas < 1 || stepSize < 1 || !(maskProbability > 0 && maskProbability <= 1)) {
            throw new IllegalArgumentException("evaluate: mgd steps = " + steps + " (>= 1), replicas = " + replicas
                    + " (>= 1), step size = " + stepSize + " (>= 1), mask p = " + maskProbability + " (in (0, 1])");
        }
        if (!(pruneFraction > 0 && pruneFraction < 1)) {
            throw new IllegalArgumentException("evaluate.mgd.pruneFraction = " + pruneFraction + " invalid; must be in (0, 1)");
        }
    }

    /** The documented defaults. */
    public static MgdSettings defaults() {
        return new MgdSettings(10, 2, 1, 0.2, 0.02, false);
    }

    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("steps", steps);
        m.put("replicas", replicas);
        m.put("step_size", stepSize);
        m.put("mask_probability", maskProbability);
        m.put("prune_fraction", pruneFraction);
        m.put("target", zeroShotTarget ? "zero-shot (with --prompts)" : "pairs");
        return m;
    }
}
