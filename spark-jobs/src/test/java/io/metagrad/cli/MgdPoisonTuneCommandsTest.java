package io.metagrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.descent.TestSplits;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad inputs of poison and tune-lr: a clear message and exit code 2 (3 for a missing input) before any work, nothing written. */
class MgdPoisonTuneCommandsTest {

    private static SparkSession spark;
    private static TestSplits.Paths tables;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("poison-tune-commands-test");
        tables = TestSplits.write(spark, dir.resolve("data"), 30, 10, 10, 1);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private record Outcome(int code, String err) {}

    private static Outcome run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = Mgd.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        return new Outcome(cl.execute(args), err.toString());
    }

    private static String[] with(String job, Path output, String... extra) {
        List<String> base = List.of("--train", tables.train(), "--validation", tables.validation(), "--test", tables.test(),
                "--output", output.toString(), "--train-steps", "6", "--batch-size", "8");
        List<String> a = new ArrayList<>(List.of(job));
        for (int i = 0; i < base.size(); i += 2) {
            if (!List.of(extra).contains(base.get(i))) { // an option given in extra replaces the default one
                a.addAll(base.subList(i, i + 2));
            }
        }
        a.addAll(List.of(extra));
        return a.toArray(new String[0]);
    }

    private static void assertRefused(int code, String message, String job, String... extra) {
        Path out = dir.resolve("out-" + Math.abs(String.join(" ", extra).hashCode()));
        Outcome o = run(with(job, out, extra));
        assertEquals(code, o.code(), o.err());
        assertTrue(o.err().contains(message), "expected '" + message + "' in: " + o.err());
        assertFalse(Files.exists(out), "wrote " + out);
    }

    @Test
    void poisonRefusesBadValuesBeforeAnyWork() {
        assertRefused(2, "--fraction 1.5 invalid; must be in (0, 1)", "poison", "--fraction", "1.5");
        assertRefused(2, "--fraction 0.0 invalid", "poison", "--fraction", "0");
        assertRefused(2, "poisons 0 rows", "poison", "--fraction", "0.001");
        assertRefused(2, "excludes the training data", "poison", "--box", "2,3");
        assertRefused(2, "--box 1.0,0.0 invalid; needs finite LO < HI", "poison", "--box", "1,0");
        assertRefused(2, "--box pixels needs a training table made by featurize", "poison", "--box", "pixels");
        assertRefused(2, "--ball -1.0 invalid", "poison", "--ball", "-1");
        assertRefused(2, "--optimize sideways invalid", "poison", "--optimize", "sideways");
        assertRefused(2, "--method nothing invalid", "poison", "--method", "nothing");
        assertRefused(2, "needs a classifier", "poison", "--model", "CLIP");
        assertRefused(2, "--mgd-steps = 0 invalid", "poison", "--mgd-steps", "0");
        assertRefused(2, "train.lr = 0.0 invalid", "poison", "--lr", "0");
        assertRefused(3, "--validation: no table at", "poison", "--validation", dir.resolve("missing").toString());
    }

    @Test
    void tuneRefusesBadValuesBeforeAnyWork() {
        assertRefused(2, "--knots 7 invalid; must be at most --train-steps = 6", "tune-lr", "--knots", "7");
        assertRefused(2, "train.lr = -0.1 invalid; must be > 0", "tune-lr", "--lr", "-0.1");
        assertRefused(2, "--lr-range 0.0,1.0 invalid", "tune-lr", "--lr-range", "0,1");
        assertRefused(2, "--lr-range 1.0,0.5 invalid", "tune-lr", "--lr-range", "1,0.5");
        assertRefused(2, "--weight-decay 0.0 invalid; must be > 0 to start tuning it", "tune-lr", "--tune-weight-decay");
        assertRefused(2, "--method sideways invalid", "tune-lr", "--method", "sideways");
        assertRefused(2, "--grid-warmups [1.5] invalid", "tune-lr", "--method", "grid", "--grid-warmups", "1.5");
        assertRefused(2, "--step-size = 0.0 invalid", "tune-lr", "--step-size", "0");
        assertRefused(3, "--lr-schedule: no schedule file at", "tune-lr", "--lr-schedule", "file:" + dir.resolve("no-such.json"));
    }

    @Test
    void anOutputMayNotBeOrHoldAnInput() {
        Outcome o = run("poison", "--train", tables.train(), "--validation", tables.validation(), "--test", tables.test(),
                "--output", dir.resolve("data").toString());
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("contains the input --train"), o.err());
    }

    @Test
    void helpListsBothJobs() {
        String usage = Mgd.commandLine().getUsageMessage();
        assertTrue(usage.contains("poison") && usage.contains("tune-lr"), usage);
    }
}
