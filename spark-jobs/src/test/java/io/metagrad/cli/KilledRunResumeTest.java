package io.metagrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.descent.TestSplits;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a poison or tune-lr run in a second JVM, after some MGD steps are checkpointed:
 * rerunning the same command (in a fresh JVM, as a user would) resumes it and ends bitwise equal to an
 * uninterrupted run in a fresh JVM.
 */
class KilledRunResumeTest {

    private static SparkSession spark;
    private static TestSplits.Paths tables;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("killed-run-test");
        tables = TestSplits.write(spark, dir.resolve("data"), 40, 20, 20, 9);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static List<String> args(String job, Path output) {
        List<String> a = new ArrayList<>(List.of(job, "--train", tables.train(), "--validation", tables.validation(), "--test",
                tables.test(), "--output", output.toString(), "--model", "MLP", "--hidden", "5", "--train-steps", "10",
                "--batch-size", "8", "--mgd-steps", "6", "--eval-seeds", "1"));
        if (job.equals("poison")) {
            a.addAll(List.of("--fraction", "0.1", "--box", "0,1", "--step-size", "0.05", "--lr", "0.3"));
        } else {
            a.addAll(List.of("--knots", "3", "--lr", "0.2", "--step-size", "0.2"));
        }
        return a;
    }

    @Test
    void aKilledPoisonRunResumesBitwise() throws Exception {
        killAndResume("poison");
    }

    @Test
    void aKilledTuneRunResumesBitwise() throws Exception {
        killAndResume("tune-lr");
    }

    private static void killAndResume(String job) throws Exception {
        Path killed = dir.resolve(job + "-killed");
        Path whole = dir.resolve(job + "-whole");
        Process child = launch(args(job, killed), dir.resolve(job + "-child.log"));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            while (completedSteps(killed) < 3) {
                assertTrue(child.isAlive(), "the child ended before it was killed: " + Files.readString(dir.resolve(job + "-child.log")));
                assertTrue(System.nanoTime() < deadline, "the child made no progress in time");
                Thread.sleep(100);
            }
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
            child.waitFor(60, TimeUnit.SECONDS);
        }
        assertTrue(completedSteps(killed) < 7, "killed too late to test a resume");
        assertEquals(0, run(args(job, killed)));
        assertEquals(0, run(args(job, whole)));
        assertEquals(withoutTimes(whole), withoutTimes(killed));
        assertEquals(Files.readString(whole.resolve("state.json")), Files.readString(killed.resolve("state.json")));
        String out = job.equals("poison") ? "report.json" : "schedule.json";
        assertEquals(Files.readString(whole.resolve(out)).replaceAll("\"\\w*seconds\\w*\": [0-9.eE-]+,?", "")
                        .replaceAll("\"training_run_equivalents\": [0-9.eE-]+,?", "").replaceAll("\"(output|flags)\": \"[^\"]*\",?", ""),
                Files.readString(killed.resolve(out)).replaceAll("\"\\w*seconds\\w*\": [0-9.eE-]+,?", "")
                        .replaceAll("\"training_run_equivalents\": [0-9.eE-]+,?", "").replaceAll("\"(output|flags)\": \"[^\"]*\",?", ""));
    }

    private static Process launch(List<String> mgdArgs, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("-D") || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions")) {
                cmd.add(a);
            }
        }
        cmd.add("-Xmx1g");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.metagrad.cli.Mgd");
        cmd.addAll(mgdArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    /**
     * Runs {@code mgd} to the end in a fresh JVM, as a user's rerun is. Not in this test JVM: after other tests'
     * jobs have run in it, its libtorch results can differ in the last bits (seen: a tune-lr gradient RMS at 2e-8
     * relative after DataCompExampleTest), which would compare two histories of one JVM, not a resume.
     */
    private static int run(List<String> args) throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "run", ".log");
        Process p = launch(args, log);
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("mgd " + args.get(0) + " did not finish in 600 s: " + Files.readString(log));
        }
        return p.exitValue();
    }

    /** Lines in metrics.jsonl: steps whose metrics are written (the state may lag by one). */
    private static int completedSteps(Path run) throws IOException {
        Path m = run.resolve("metrics.jsonl");
        return Files.exists(m) ? (int) Files.readAllLines(m).stream().filter(l -> !l.isBlank()).count() : 0;
    }

    private static List<String> withoutTimes(Path run) throws IOException {
        return Files.readAllLines(run.resolve("metrics.jsonl")).stream()
                .map(l -> l.replaceAll("\"(eval_seconds|seconds|task_seconds)\":[0-9.eE-]+,?", "")
                        .replaceAll("\"finished_utc\":\"[^\"]*\",?", ""))
                .toList();
    }
}
