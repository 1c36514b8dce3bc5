package io.metagrad.spark;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * What a job shows. By default its own lines (progress, results) and, on failure, its one-line message:
 * Spark's and Hadoop's INFO and WARN chatter (start-up, {@code NativeCodeLoader}, hostname notes) is off
 * ({@code log4j2.properties}), and so are Spark's loggers that repeat a failed task's exception with its
 * stack trace. With {@code --verbose} they are all back on (INFO), and the job prints the stack trace of
 * the failure.
 */
public final class Verbosity {

    /** Spark loggers that report a failed task or write with a stack trace (the job reports it itself). */
    private static final String[] TASK_FAILURE_LOGGERS = {
        "org.apache.spark.executor.Executor", "org.apache.spark.scheduler.TaskSetManager",
        "org.apache.spark.scheduler.TaskSchedulerImpl", "org.apache.spark.util.Utils",
        "org.apache.spark.sql.execution.datasources.FileFormatWriter",
        "org.apache.spark.internal.io.SparkHadoopWriter", "org.apache.spark.sql.execution.datasources.FileScanRDD"
    };

    /** Libraries whose INFO and WARN lines are noise to a user of the command line (errors still show). */
    private static final String[] CHATTY_LOGGERS = {
        "org.apache.spark", "org.apache.hadoop", "org.sparkproject", "org.apache.parquet", "org.apache.iceberg"
    };

    private Verbosity() {}

    /** Turns Spark's and Hadoop's logs on ({@code verbose}: INFO) or down to errors, and their failure logs on or off. */
    public static void apply(boolean verbose) {
        for (String logger : CHATTY_LOGGERS) {
            Configurator.setLevel(logger, verbose ? Level.INFO : Level.ERROR);
        }
        for (String logger : TASK_FAILURE_LOGGERS) {
            Configurator.setLevel(logger, verbose ? Level.WARN : Level.OFF);
        }
    }
}
