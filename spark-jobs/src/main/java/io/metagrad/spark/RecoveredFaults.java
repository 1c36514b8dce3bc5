package io.metagrad.spark;

import org.apache.spark.ExecutorLostFailure;
import org.apache.spark.FetchFailed;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says, in one line each, which faults Spark is recovering from: a lost executor and the tasks it was running,
 * which Spark runs again elsewhere. Spark's own loggers for these are off by default ({@link Verbosity}) because
 * they repeat stack traces; a user still needs to know that the job lost a machine and carried on. A task that
 * fails by an exception is not reported here: the job reports its failure itself.
 *
 * <p>Registered through {@code spark.extraListeners} ({@link SparkSessions}), so exactly once per SparkContext.
 */
public final class RecoveredFaults extends SparkListener {

    private static final Logger LOG = LoggerFactory.getLogger(RecoveredFaults.class);

    // Executors are removed as a matter of course once the application ends; only earlier removals are faults.
    private volatile boolean ending;

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved event) {
        if (!ending) {
            LOG.warn("lost executor {} ({}); Spark runs its tasks again on the executors left", event.executorId(), event.reason());
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd event) {
        if (ending || !(event.reason() instanceof TaskFailedReason failed)) {
            return;
        }
        if (failed instanceof ExecutorLostFailure || failed instanceof FetchFailed) {
            LOG.warn("lost task {} (attempt {}) of stage {} on executor {}: {}; Spark retries it", event.taskInfo().index(),
                    event.taskInfo().attemptNumber(), event.stageId(), event.taskInfo().executorId(), firstLine(failed.toErrorString()));
        }
    }

    @Override
    public void onApplicationEnd(SparkListenerApplicationEnd event) {
        ending = true;
    }

    private static String firstLine(String s) {
        int newline = s.indexOf('\n');
        return newline < 0 ? s : s.substring(0, newline);
    }
}
