package io.metagrad.spark.descent;

/** What a job's metagradient descent optimizes: evaluated at {@code z}, usually by one Spark stage of replica tasks. */
public interface DescentObjective {

    /** The value, metagradient and measurements at {@code z}; {@code step} names the MGD step in progress messages. */
    Point at(double[] z, int step);

    /** Whether larger values are better (poisoning maximizes the validation loss; tuning minimizes it). */
    boolean maximizes();

    /** What the value is, for progress lines, e.g. {@code validation loss}. */
    String valueName();

    /** Puts {@code z} back into the feasible set, in place (a box, a ball, the simplex …). */
    void project(double[] z);

    /** The options to change when training diverges or a metagradient is not finite, for the error message. */
    default String knobs() {
        return "--lr or --step-size";
    }
}
