package io.metagrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.Verbosity;
import io.metagrad.spark.demo.SyntheticSample;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mgd select} in a separate JVM whose stderr is a file, as under a scheduler or in CI. */
class QuietLogsTest {

    private static SyntheticSample.Paths sample;

    @TempDir
    static Path dir;

    @BeforeAll
    static void writeSample() {
        SparkSession spark = SparkSessions.getOrCreate("quiet-logs-test");
        try {
            sample = new SyntheticSample(3, 6, 120, 0.2, 0.1, 60, 60, 1.5, 11).write(spark, dir.resolve("sample").toString());
        } finally {
            spark.stop();
        }
    }

    @Test
    void aJobOffATerminalShowsItsOwnProgressAndNoSparkNoise() throws Exception {
        String err = select("quiet");
        assertTrue(err.contains("select step 1/2: target loss"), err); // our progress: every step, with its losses
        assertFalse(err.contains("[Stage"), err);
        assertFalse(err.contains("NativeCodeLoader"), err);
        assertFalse(err.lines().anyMatch(l -> l.contains(" WARN ") || l.contains(" INFO Spark")), err);
    }

    @Test
    void verboseBringsSparksLogsBack() {
        org.apache.logging.log4j.Logger spark = org.apache.logging.log4j.LogManager.getLogger("org.apache.spark.SparkContext");
        org.apache.logging.log4j.Logger hadoop = org.apache.logging.log4j.LogManager.getLogger("org.apache.hadoop.util.NativeCodeLoader");
        try {
            Verbosity.apply(true);
            assertTrue(spark.isInfoEnabled() && hadoop.isWarnEnabled());
            Verbosity.apply(false);
            assertFalse(spark.isWarnEnabled() || hadoop.isWarnEnabled());
            assertTrue(spark.isErrorEnabled() && hadoop.isErrorEnabled()); // errors always show
        } finally {
            Verbosity.apply(false);
        }
    }

    private static String select(String name) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx1g");
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions") || a.startsWith("-Djdk.reflect")
                    || a.startsWith("-Dai.djl")) {
                cmd.add(a);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.metagrad.cli.Mgd", "select",
                "--pool", sample.poolFeatures(), "--target", sample.targetFeatures(), "--output", dir.resolve(name).toString(),
                "--mgd-steps", "2", "--train-steps", "8", "--batch-size", "16", "--replicas", "1"));
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        ProcessBuilder b = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        b.environment().put("OPT_OUT_TRACKING", "true");
        Process p = b.start();
        try {
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "mgd select did not finish in 5 minutes");
        } finally {
            p.destroyForcibly();
        }
        String text = Files.readString(err);
        assertEquals(0, p.exitValue(), text);
        return text;
    }
}
