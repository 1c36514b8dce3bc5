package io.metagrad.spark;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * What a failed job shows. By default only the job's own one-line message: Spark's loggers that
 * repeat a failed task's exception with its stack trace are off ({@code log4j2.properties}). With
 * {@code --verbose} they are back on, and the job prints the stack trace of the failure.
 */
public final class Verbosity {

    /** Spark loggers that report a failed task or write with a stack trace (the job reports it itself). */
    private static final String[] TASK_FAILURE_LOGGERS = {
        "org.apache.spark.executor.Executor", "org.apache.spark.scheduler.TaskSetManager",
        "org.apache.spark.scheduler.TaskSchedulerImpl", "org.apache.spark.util.Utils",
        "org.apache.spark.sql.execution.datasources.FileFormatWriter",
        "org.apache.spark.internal.io.SparkHadoopWriter", "org.apache.spark.sql.execution.datasources.FileScanRDD"
    };

    private Verbosity() {}

    /** Turns Spark's failure logs on ({@code verbose}) or off. */
    public static void apply(boolean verbose) {
        for (String logger : TASK_FAILURE_LOGGERS) {
            Configurator.setLevel(logger, verbose ? Level.WARN : Level.OFF);
        }
    }
}
