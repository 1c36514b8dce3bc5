package io.metagrad.spark.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.demo.SyntheticSample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} storms on select, curate, evaluate and tune-lr, each run as its own JVM on a small synthetic
 * problem: seeded random kills (with a pause at every commit point, so that many land inside commits)
 * and halts exactly at chosen commit points, each followed by a rerun of the same command. After each
 * kill what is on disk must be resumable (select, tune-lr) or the previous complete output (curate and evaluate
 * replace theirs with {@code --overwrite}); at the end the outputs equal an undisturbed run's, row for row
 * and field for field (times aside), with no staging directory, backup or journal left.
 */
class KillStormTest {

    private static SparkSession spark;
    private static SyntheticSample.Paths sample;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("kill-storm-test");
        sample = new SyntheticSample(3, 6, 120, 0.2, 0.1, 40, 60, 1.5, 11).write(spark, dir.resolve("sample").toString());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static List<String> select(String output) {
        return List.of("select", "--pool", sample.poolFeatures(), "--target", sample.targetFeatures(), "--output", output,
                "--mgd-steps", "5", "--replicas", "2", "--mask-p", "0.5", "--seed", "5", "--train-steps", "24",
                "--batch-size", "16", "--lr", "0.2", "--train-seed", "3");
    }

    @Test
    void selectSurvivesAKillStormAndResumesBitwise() throws Exception {
        Path out = dir.resolve("select");
        KillStorm storm = new KillStorm(select(out.toString()), dir.resolve("logs-select")).pauseAtCommitPoints(60)
                .haltAt("file.temp-written#2", "file.replaced#3", "dir.staged#2", "dir.new-moved#3", "file.temp-written#9");
        KillStorm.Report reference = storm.undisturbed(select(dir.resolve("select-ref").toString()));
        KillStorm.Report r = storm.run(15, 20261201L, reference.seconds(), attempt -> requireResumable(out));
        System.out.println("kill storm, select: " + r);
        assertTrue(r.kills() + r.halts() >= 20, r.toString());
        assertSameOutputs(dir.resolve("select-ref"), out, Set.of("report.html")); // it shows each step's seconds
    }

    @Test
    void curateWithOverwriteSurvivesAKillStorm() throws Exception {
        Path run = dir.resolve("run-for-curate");
        new KillStorm(select(run.toString()), dir.resolve("logs-curate-select")).undisturbed(select(run.toString()));
        List<String> curate = List.of("curate", "--input", sample.pool(), "--selection", run.toString(), "--overwrite", "--output");
        Path out = dir.resolve("curate");
        Path ref = dir.resolve("curate-ref");
        KillStorm storm = new KillStorm(with(curate, out.toString()), dir.resolve("logs-curate")).pauseAtCommitPoints(150)
                .haltAt("dir.new-moved", "dir.journal-written", "dir.old-moved", "dir.staged", "dir.old-deleted", "file.replaced#2");
        KillStorm.Report reference = storm.undisturbed(with(curate, ref.toString()));
        Map<String, Object> expected = OutputSnapshot.of(spark, ref, Set.of());
        KillStorm.Report r = storm.run(7, 7L, reference.seconds(), attempt -> requireOldOrNew(out, expected, Set.of()));
        System.out.println("kill storm, curate: " + r);
        assertTrue(r.kills() + r.halts() >= 12, r.toString());
        assertSameOutputs(ref, out, Set.of());
    }

    @Test
    void evaluateWithOverwriteSurvivesAKillStorm() throws Exception {
        List<String> evaluate = List.of("evaluate", "--pool", sample.poolFeatures(), "--target", sample.targetFeatures(), "--test",
                sample.testFeatures(), "--methods", "random,loss,mgd", "--budgets", "0.5", "--seeds", "2", "--mgd-steps", "2",
                "--mgd-replicas", "1", "--train-steps", "20", "--batch-size", "16", "--overwrite", "--output");
        Path out = dir.resolve("evaluate");
        Path ref = dir.resolve("evaluate-ref");
        Set<String> timed = Set.of("evaluate.md", "report.html"); // their tables have a seconds column
        KillStorm storm = new KillStorm(with(evaluate, out.toString()), dir.resolve("logs-evaluate")).pauseAtCommitPoints(100)
                .haltAt("dir.new-moved", "dir.journal-written", "dir.old-moved", "dir.old-deleted");
        KillStorm.Report reference = storm.undisturbed(with(evaluate, ref.toString()));
        Map<String, Object> expected = OutputSnapshot.of(spark, ref, timed);
        KillStorm.Report r = storm.run(7, 11L, reference.seconds(), attempt -> requireOldOrNew(out, expected, timed));
        System.out.println("kill storm, evaluate: " + r);
        assertTrue(r.kills() + r.halts() >= 10, r.toString());
        assertSameOutputs(ref, out, timed);
    }

    private static List<String> tune(String output) {
        return List.of("tune-lr", "--train", sample.poolFeatures(), "--validation", sample.targetFeatures(), "--test",
                sample.testFeatures(), "--output", output, "--mgd-steps", "2", "--knots", "3", "--eval-seeds", "1",
                "--train-steps", "16", "--batch-size", "16", "--lr", "0.2", "--train-seed", "3");
    }

    @Test
    void tuneLrSurvivesAKillStormAndResumesBitwise() throws Exception {
        Path out = dir.resolve("tune");
        // a short storm: tune-lr writes its run through the same AtomicFiles as select, whose storm above is the long one
        KillStorm storm = new KillStorm(tune(out.toString()), dir.resolve("logs-tune")).pauseAtCommitPoints(60)
                .haltAt("file.temp-written#2", "file.replaced#7");
        KillStorm.Report reference = storm.undisturbed(tune(dir.resolve("tune-ref").toString()));
        KillStorm.Report r = storm.run(3, 20261202L, reference.seconds(), attempt -> requireResumableDescent(out));
        System.out.println("kill storm, tune-lr: " + r);
        assertTrue(r.kills() + r.halts() >= 4, r.toString());
        assertSameOutputs(dir.resolve("tune-ref"), out, Set.of("report.json", "report.md", "report.html")); // their compute part is timed
    }

    /** A poison / tune-lr run directory a rerun can resume: a state, metrics up to it, and the iterate it names. */
    private static void requireResumableDescent(Path out) {
        Path state = out.resolve("state.json");
        if (!Files.exists(state)) {
            return; // killed before the first checkpoint: the rerun starts over
        }
        try {
            int completed = JsonParser.parseString(Files.readString(state)).getAsJsonObject().get("completed_step").getAsInt();
            long lines = Files.readAllLines(out.resolve("metrics.jsonl")).stream().filter(l -> !l.isBlank()).count();
            assertTrue(lines >= completed + 1, "metrics.jsonl has " + lines + " lines; state.json says step " + completed);
            for (String part : new String[] {"z.npy", "gradient.npy"}) {
                assertTrue(Files.exists(out.resolve(String.format("iterates/step=%05d/%s", completed, part))), "step " + completed);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A select run directory a rerun can resume: a state, metrics up to it, and every step it names, committed. */
    private static void requireResumable(Path out) {
        Path state = out.resolve("state.json");
        if (!Files.exists(state)) {
            return; // killed before the first checkpoint: the rerun starts over
        }
        try {
            int completed = JsonParser.parseString(Files.readString(state)).getAsJsonObject().get("completed_step").getAsInt();
            long lines = Files.readAllLines(out.resolve("metrics.jsonl")).stream().filter(l -> !l.isBlank()).count();
            assertTrue(lines >= completed + 1, "metrics.jsonl has " + lines + " lines; state.json says step " + completed);
            for (int s = 0; s <= completed; s++) {
                assertTrue(Files.exists(out.resolve(String.format("steps/step=%05d/_metagrad.json", s))), "step " + s + " committed");
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Without a commit journal beside it, the output is absent (never committed yet) or complete — the previous
     * run's, equal to the reference; with one, the next run rolls the replace forward.
     */
    private static void requireOldOrNew(Path out, Map<String, Object> expected, Set<String> skip) {
        Path journal = out.resolveSibling("." + out.getFileName() + ".commit.json");
        if (Files.exists(journal) || !Files.exists(out)) {
            return;
        }
        try {
            assertEquals(expected, OutputSnapshot.of(spark, out, skip), "a killed replace left a partial output");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertSameOutputs(Path reference, Path out, Set<String> skip) throws IOException {
        assertEquals(OutputSnapshot.of(spark, reference, skip), OutputSnapshot.of(spark, out, skip));
        try (Stream<Path> siblings = Files.list(out.getParent())) {
            List<String> left = siblings.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("." + out.getFileName() + "."))
                    .toList();
            assertEquals(List.of(), left, "no staging directory, backup or journal is left");
        }
    }

    private static List<String> with(List<String> args, String last) {
        List<String> all = new ArrayList<>(args);
        all.add(last);
        return all;
    }
}
