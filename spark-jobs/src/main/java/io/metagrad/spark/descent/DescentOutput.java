package io.metagrad.spark.descent;

import io.metagrad.spark.io.AtomicOutput;
import io.metagrad.spark.io.OutputGuard;
import org.apache.hadoop.conf.Configuration;

/**
 * Where a descent job's run directory lives. Normally at {@code --output} itself, so that a killed run
 * resumes there. With {@code --overwrite} of an earlier metagrad output, the new run is built in a
 * staging directory beside it and swapped in by {@link #commit()} ({@link AtomicOutput}): a kill keeps
 * the old output whole. Anything metagrad did not make is never replaced (see {@link DescentLoop#requireResumable}).
 */
public final class DescentOutput {

    private final DescentDirectory target;
    private final AtomicOutput replacing;
    private final DescentDirectory dir;

    private DescentOutput(DescentDirectory target, AtomicOutput replacing) {
        this.target = target;
        this.replacing = replacing;
        this.dir = replacing == null ? target : DescentDirectory.at(replacing.stagingPath(), target.hadoop());
    }

    /** Finishes an interrupted replace of {@code output}, then opens it for a run (replacing it when {@code overwrite}). */
    public static DescentOutput open(String output, boolean overwrite, Configuration hadoop) {
        AtomicOutput.recover(output, hadoop); // an interrupted --overwrite commit, staging of killed runs
        DescentDirectory target = DescentDirectory.at(output, hadoop);
        boolean replace = overwrite && target.kind() == OutputGuard.Kind.OURS;
        return new DescentOutput(target, replace ? AtomicOutput.to(output, hadoop, true) : null);
    }

    /** The directory the run reads and writes now. */
    public DescentDirectory dir() {
        return dir;
    }

    /** The output's path, as the user will find it once the run ends. */
    public String path() {
        return target.path();
    }

    /** Puts a replacing run in place of the old output (nothing to do for a run at {@code --output} itself). */
    public void commit() {
        if (replacing != null) {
            replacing.commit();
        }
    }

    /** After a failure: drops a replacing run, so the old output stays as it was. */
    public void abort() {
        if (replacing != null) {
            replacing.abort();
        }
    }
}
