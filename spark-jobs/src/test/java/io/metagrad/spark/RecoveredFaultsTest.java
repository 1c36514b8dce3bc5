package io.metagrad.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * A lost executor on a real (loopback) cluster, {@code local-cluster} with two executor JVMs: one task halts its JVM
 * on its first attempt; Spark reruns it on the executor left, and the job says so in its own words although Spark's
 * task-failure loggers are off ({@link Verbosity}).
 */
class RecoveredFaultsTest {

    @Test
    void aLostExecutorAndItsRetriedTaskAreReportedInOneLineEach() {
        StringWriter lines = new StringWriter();
        Logger logger = (Logger) LogManager.getLogger(RecoveredFaults.class);
        WriterAppender appender = WriterAppender.newBuilder().setName("recovered-faults-test").setTarget(lines)
                .setLayout(PatternLayout.newBuilder().withPattern("%m%n").build()).build();
        appender.start();
        logger.addAppender(appender);
        Verbosity.apply(false);
        SparkConf conf = new SparkConf(false).setMaster("local-cluster[2,1,768]")
                .set("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .set("spark.executorEnv.SPARK_SCALA_VERSION", "2.12") // the worker launches executors as a distribution would
                .set("spark.executorEnv.SPARK_TESTING", "1")
                .set("spark.executor.memory", "512m")
                .set("spark.task.maxFailures", "4")
                .set("spark.ui.enabled", "false");
        SparkSession spark = SparkSession.builder().config(SparkSessions.configure(conf, "recovered-faults-test")).getOrCreate();
        String app = spark.sparkContext().applicationId();
        try {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            List<Integer> out = assertTimeoutPreemptively(Duration.ofSeconds(240), () -> jsc.parallelize(List.of(1, 2), 2)
                    .map(x -> {
                        TaskContext task = TaskContext.get();
                        if (task.partitionId() == 0 && task.attemptNumber() == 0) {
                            Runtime.getRuntime().halt(137); // as kill -9 of the executor would
                        }
                        return 10 * x;
                    }).collect());
            assertEquals(List.of(10, 20), out, "the job finished through the retry");
        } finally {
            spark.stop();
            logger.removeAppender(appender);
            removeWorkerDirectory(app);
        }
        String said = lines.toString();
        assertTrue(said.matches("(?s).*lost executor \\d+ \\(.+\\); Spark runs its tasks again on the executors left.*"), said);
        assertTrue(said.matches("(?s).*lost task 0 \\(attempt 0\\) of stage 0 on executor \\d+: ExecutorLostFailure.*Spark retries it.*"),
                said);
        assertEquals(2, said.lines().count(), "one line for the executor, one for its task, none at the end:\n" + said);
    }

    /** The in-process worker keeps executor logs in ./work/&lt;app&gt; (its Spark home is the module directory). */
    private static void removeWorkerDirectory(String app) {
        Path work = Path.of("work");
        try {
            if (Files.exists(work.resolve(app))) {
                try (Stream<Path> files = Files.walk(work.resolve(app))) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            try (Stream<Path> left = Files.exists(work) ? Files.list(work) : Stream.empty()) {
                if (Files.exists(work) && left.findAny().isEmpty()) {
                    Files.delete(work);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
