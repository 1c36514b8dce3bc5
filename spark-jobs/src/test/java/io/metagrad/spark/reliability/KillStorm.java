package io.metagrad.spark.reliability;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one {@code mgd} command line again and again as a separate JVM, killing it with {@code kill -9}
 * at seeded random moments and, for chosen attempts, halting it exactly at a named commit point
 * ({@code io.metagrad.spark.io.CommitFaults}); after each kill the same command is started again.
 * A last attempt runs undisturbed and must succeed. Compare its outputs with an undisturbed run's
 * ({@link OutputSnapshot}) to prove that no kill changed the result.
 *
 * <pre>
 *   KillStorm storm = new KillStorm(List.of("select", "--pool", …, "--output", out), work)
 *       .pauseAtCommitPoints(150).haltAt("dir.staged", "file.replaced");
 *   KillStorm.Report r = storm.undisturbed(otherArgs);   // the reference, and how long a run takes
 *   storm.run(20, seed, r.seconds(), attempt -> check(out));
 * </pre>
 */
public final class KillStorm {

    /** What happened: the kills sent, the attempts halted at a commit point, and how long the reference took. */
    public record Report(int kills, int halts, int finishedEarly, double seconds) {}

    private final List<String> args;
    private final Path logs;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> haltPoints = new ArrayList<>();
    private long pauseMs;

    /**
     * @param args the command line after {@code mgd}
     * @param logs where each attempt's output goes ({@code attempt-N.log})
     */
    public KillStorm(List<String> args, Path logs) {
        this.args = List.copyOf(args);
        this.logs = logs;
        env.put("OPT_OUT_TRACKING", "true");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
    }

    /** Sleep this long at every commit point, widening the windows a random kill can land in. */
    public KillStorm pauseAtCommitPoints(long ms) {
        pauseMs = ms;
        return this;
    }

    /** Besides the random kills, one attempt halts exactly at each of these points ({@code point} or {@code point#N}). */
    public KillStorm haltAt(String... points) {
        haltPoints.addAll(List.of(points));
        return this;
    }

    /** Runs {@code otherArgs} (the same command with another output) to completion; fails unless it exits 0. */
    public Report undisturbed(List<String> otherArgs) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process p = start(otherArgs, null, logs.resolve("reference.log"));
        require(p.waitFor(10, TimeUnit.MINUTES), p, "the reference run did not finish");
        require(p.exitValue() == 0, p, "the reference run failed with exit " + p.exitValue() + "; see " + logs.resolve("reference.log"));
        return new Report(0, 0, 0, (System.nanoTime() - start) / 1e9);
    }

    /**
     * The storm: the halts first, then {@code kills} attempts killed at a moment drawn uniformly from
     * {@code (0, 1.2 × typicalSeconds)}, each followed by {@code afterKill} (to check what is on disk); then one
     * undisturbed attempt, which must exit 0. An attempt that ends by itself before its kill is counted, not killed.
     */
    public Report run(int kills, long seed, double typicalSeconds, Consumer<Integer> afterKill) throws IOException, InterruptedException {
        Files.createDirectories(logs);
        Random random = new Random(seed);
        int attempt = 0;
        int halts = 0;
        int early = 0;
        for (String point : haltPoints) {
            Path log = logs.resolve("attempt-" + attempt + ".log");
            Process p = start(args, "halt=" + point + (pauseMs > 0 ? ",pause=" + pauseMs : ""), log);
            require(p.waitFor(10, TimeUnit.MINUTES), p, "attempt " + attempt + " hung");
            if (p.exitValue() == 137) {
                halts++;
            } else {
                early++; // the point was not reached (e.g. the work was already done)
            }
            afterKill.accept(attempt++);
        }
        int sent = 0;
        while (sent < kills) {
            Path log = logs.resolve("attempt-" + attempt + ".log");
            Process p = start(args, pauseMs > 0 ? "pause=" + pauseMs : null, log);
            long delay = 1 + (long) (random.nextDouble() * 1.2 * typicalSeconds * 1000);
            if (p.waitFor(delay, TimeUnit.MILLISECONDS)) {
                early++;
                require(p.exitValue() == 0, p, "attempt " + attempt + " failed with exit " + p.exitValue() + "; see " + log);
            } else {
                p.destroyForcibly(); // SIGKILL
                require(p.waitFor(1, TimeUnit.MINUTES), p, "attempt " + attempt + " survived kill -9");
                sent++;
            }
            afterKill.accept(attempt++);
        }
        Path log = logs.resolve("final.log");
        Process last = start(args, null, log);
        require(last.waitFor(10, TimeUnit.MINUTES), last, "the final run did not finish");
        require(last.exitValue() == 0, last, "the final run after the storm failed with exit " + last.exitValue() + "; see " + log);
        return new Report(sent, halts, early, typicalSeconds);
    }

    private Process start(List<String> commandArgs, String faults, Path log) throws IOException {
        Files.createDirectories(log.getParent());
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx1g");
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions") || a.startsWith("-Djdk.reflect")
                    || a.startsWith("-Dai.djl")) {
                cmd.add(a);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.metagrad.cli.Mgd");
        cmd.addAll(commandArgs);
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        b.environment().putAll(env);
        b.environment().remove("MGD_TEST_COMMIT_FAULTS");
        if (faults != null) {
            b.environment().put("MGD_TEST_COMMIT_FAULTS", faults);
        }
        return b.start();
    }

    private static void require(boolean ok, Process p, String message) {
        if (!ok) {
            p.destroyForcibly();
            throw new AssertionError(message);
        }
    }
}
