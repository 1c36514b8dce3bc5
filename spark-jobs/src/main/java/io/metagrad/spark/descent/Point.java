package io.metagrad.spark.descent;

import java.util.Map;

/**
 * The objective at one {@code z}: its value (the replica mean), its metagradient with respect to
 * {@code z}, and the job's further measurements there (e.g. test accuracy), in a fixed order.
 *
 * @param seconds wall time of the evaluation (the Spark stage)
 */
public record Point(double value, double[] gradient, Map<String, Double> metrics, double seconds) {

    /** Whether the value and every metagradient coordinate are finite; the message names the first that is not. */
    String nonFinite() {
        if (!Double.isFinite(value)) {
            return "the objective is " + value;
        }
        for (int i = 0; i < gradient.length; i++) {
            if (!Double.isFinite(gradient[i])) {
                return "metagradient coordinate " + i + " is " + gradient[i];
            }
        }
        return null;
    }
}
