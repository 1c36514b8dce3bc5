package io.metagrad.spark.descent;

import picocli.CommandLine.Option;

/** The command-line spelling of {@link DescentSettings}, as a picocli mixin (defaults given by each job). */
public final class DescentFlags {

    @Option(names = "--mgd-steps", description = "MGD steps S (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--step-size", description = "Step size η of the first MGD step, in the units of z (default: ${DEFAULT-VALUE}).")
    double stepSize;

    @Option(names = "--step-schedule", defaultValue = "constant",
            description = "η over the MGD steps: constant, linear or cosine decay to --final-step-fraction (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--final-step-fraction", defaultValue = "0.1",
            description = "η of the last step as a share of --step-size, for linear and cosine (default: ${DEFAULT-VALUE}).")
    double finalFraction;

    @Option(names = "--update", defaultValue = "signed",
            description = "Step direction: signed (sign of the metagradient) or normalized (the metagradient over its"
                    + " root-mean-square coordinate) (default: ${DEFAULT-VALUE}).")
    String rule;

    @Option(names = "--stop-after", defaultValue = "0",
            description = "Stop once this MGD step is complete; rerun the same command to resume (default: run all steps).")
    int stopAfter;

    /** Flags with a job's own defaults for the steps and the step size. */
    public DescentFlags(int steps, double stepSize) {
        this.steps = steps;
        this.stepSize = stepSize;
    }

    /** The validated settings. */
    public DescentSettings toSettings() {
        return new DescentSettings(steps, stepSize, StepSchedule.parse(schedule), finalFraction, StepRule.parse(rule), stopAfter);
    }
}
