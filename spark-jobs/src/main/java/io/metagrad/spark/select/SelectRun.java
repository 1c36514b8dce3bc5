package io.metagrad.spark.select;

import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * A finished select run, read back for the jobs downstream of it (curate, demo): where its
 * selection table is, and the metrics of every step.
 *
 * @param path the run directory
 * @param mgdSteps steps S of the run
 * @param bestStep the iterate the selection was taken from
 * @param metrics one entry per step, step 0 first
 */
public record SelectRun(String path, int mgdSteps, int bestStep, List<StepMetrics> metrics) {

    /** Opens the run at {@code path}; fails unless all its steps are done and the selection is written. */
    public static SelectRun open(String path, Configuration hadoop) {
        RunDirectory dir = RunDirectory.at(path, hadoop);
        RunState state = dir.readState().orElseThrow(() -> new IllegalArgumentException(
                path + " is not a select run directory (no " + RunDirectory.STATE + ")"));
        if (state.completedStep() != state.plannedSteps() || !dir.hasSelection()) {
            throw new IllegalArgumentException("select run " + path + " is unfinished (step " + state.completedStep() + " of "
                    + state.plannedSteps() + "); rerun select with the same --output to finish it");
        }
        return new SelectRun(dir.path(), state.plannedSteps(), state.bestStep(), dir.readMetrics(state.completedStep()));
    }

    /** The selection table ({@code selection/v1}). */
    public String selectionPath() {
        return new org.apache.hadoop.fs.Path(path, RunDirectory.SELECTION).toString();
    }

    /** Metrics of the initial counts. */
    public StepMetrics initial() {
        return metrics.get(0);
    }

    /** Metrics of the selected iterate. */
    public StepMetrics best() {
        return metrics.get(bestStep);
    }
}
