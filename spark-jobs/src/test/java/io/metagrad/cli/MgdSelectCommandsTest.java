package io.metagrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Exit codes and help of select, curate and demo (no Spark job runs here). */
class MgdSelectCommandsTest {

    @TempDir
    Path dir;

    private static int run(StringWriter err, String... args) {
        CommandLine cl = Mgd.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        return cl.execute(args);
    }

    @Test
    void helpListsTheNewCommands() {
        String usage = Mgd.commandLine().getUsageMessage();
        assertTrue(usage.contains("select") && usage.contains("curate") && usage.contains("demo"), usage);
    }

    @Test
    void badValuesExitTwoBeforeAnyWork() {
        StringWriter err = new StringWriter();
        int code = run(err, "select", "--pool", "p", "--target", "t", "--output", dir.toString(), "--mgd-steps", "0");
        assertEquals(2, code);
        assertTrue(err.toString().contains("select.mgdSteps"), err.toString());
        assertEquals(2, run(new StringWriter(), "curate", "--input", "x"));
    }

    @Test
    void mgdPruneIsTheBudgetedUpdateAndNeedsABudget() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "select", "--method", "mgd-prune", "--pool", "p", "--target", "t", "--output", dir.toString()));
        assertTrue(err.toString().contains("--update prune needs a budget"), err.toString());
        err = new StringWriter();
        assertEquals(2, run(err, "evaluate", "--pool", "p", "--target", "t", "--test", "x", "--output", dir.toString(),
                "--mgd-target", "sideways"));
        assertTrue(err.toString().contains("--mgd-target"), err.toString());
    }

    @Test
    void sampleNoiseFractionsAreCheckedBeforeAnyWork() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "sample", "--output", dir.resolve("s").toString(), "--flip-fraction", "1.5"));
        assertTrue(err.toString().contains("fractions"), err.toString());
    }
}
