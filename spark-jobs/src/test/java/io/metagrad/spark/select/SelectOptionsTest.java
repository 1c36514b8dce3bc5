package io.metagrad.spark.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.spark.train.TrainingOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SelectOptionsTest {

    private static SelectOptions parse(String... args) {
        SelectOptions o = new SelectOptions();
        new CommandLine(o).parseArgs(args);
        return o;
    }

    @Test
    void commandLineDefaultsEqualTheDocumentedDefaults() {
        SelectParams fromFlags = parse("--pool", "p", "--target", "t", "--output", "o").toParams();
        assertEquals(SelectParams.builder("p", "t", "o").build(), fromFlags);
        assertEquals(TrainingOptions.defaults(), fromFlags.training());
    }

    @Test
    void flagsReachTheParams() {
        SelectOptions o = parse("--pool", "p", "--target", "t", "--output", "o", "--model", "MLP", "--hidden", "32,16",
                "--mgd-steps", "7", "--mask-p", "0.5", "--replicas", "3", "--keep-fraction", "0.25", "--stop-after", "2",
                "--conf", "mgd.device=gpu", "--train-steps", "50", "--warmup-steps", "5");
        SelectParams p = o.toParams();
        assertEquals(TrainingOptions.ModelKind.MLP, p.training().model());
        assertEquals(32, p.training().hidden()[0]);
        assertEquals(16, p.training().hidden()[1]);
        assertEquals(7, p.mgdSteps());
        assertEquals(0.5, p.maskProbability());
        assertEquals(3, p.replicas());
        assertEquals(0.25, p.keepFraction());
        assertEquals(2, p.lastStepThisRun(1000));
        assertEquals(UpdateRule.SIGNED, p.update());
        assertEquals(0.5, p.heldoutFraction(), "signed holds out half the target set by default");

        SelectParams prune = parse("--pool", "p", "--target", "t", "--output", "o", "--update", "prune", "--prune-fraction",
                "0.1", "--keep-fraction", "0.3").toParams();
        assertEquals(UpdateRule.PRUNE, prune.update());
        assertEquals(0.0, prune.heldoutFraction(), "prune uses the whole target set by default");
        assertEquals(7, prune.plannedSteps(100), "100 → 30 items, 10 per step");
        assertEquals(6, prune.plannedSteps(31), "31 → 10 items, 4 per step");
        assertEquals(4, prune.plannedSteps(100, 70), "70 starting with a count > 0 → 30 items, 10 per step");
        assertEquals(0, prune.plannedSteps(100, 25), "fewer start than the budget keeps");
        assertEquals(50, p.training().steps());
        assertEquals(Map.of("mgd.device", "gpu"), o.conf());
    }

    @Test
    void initialCountsReachTheParamsAndRunDescription() {
        SelectParams p = parse("--pool", "p", "--target", "t", "--output", "o", "--initial-counts", "runs/old/selection")
                .toParams();
        assertEquals("runs/old/selection", p.initialCounts());
        assertEquals("runs/old/selection", p.describe().get("initial_counts"));
        assertEquals(null, p.describe().get("initial_count"), "no uniform count when counts are per item");
        assertEquals("per item (--initial-counts)", p.resumeParams().get("initial_count"));
        SelectParams uniform = parse("--pool", "p", "--target", "t", "--output", "o").toParams();
        assertEquals(null, uniform.initialCounts());
        assertEquals("1", uniform.resumeParams().get("initial_count"), "spelled as before per-item counts existed");
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> parse("--pool", "p", "--target", "t",
                "--output", "o", "--initial-counts", "c", "--initial-count", "3").toParams());
        assertTrue(both.getMessage().contains("not both"), both.getMessage());
        assertEquals(Integer.MAX_VALUE - 20L * 3, InitialCounts.maxCount(parse("--pool", "p", "--target", "t", "--output", "o",
                "--step-size", "3").toParams()), "counts stay ints after 20 signed steps of 3");
    }

    @Test
    void invalidValuesNameTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse("--pool", "p", "--target", "t", "--output", "o", "--mask-p", "0").toParams());
        assertTrue(e.getMessage().contains("select.maskProbability"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> parse("--pool", "p", "--target", "t", "--output", "o", "--keep", "5", "--keep-fraction", "0.1").toParams());
        assertTrue(e.getMessage().contains("--keep"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> parse("--pool", "p", "--target", "t", "--output", "o", "--warmup-steps", "300").toParams());
        assertTrue(e.getMessage().contains("train.warmupSteps"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> parse("--pool", "p", "--target", "t", "--output", "o", "--update", "prune").toParams());
        assertTrue(e.getMessage().contains("--keep-fraction"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> parse("--pool", "p", "--target", "t", "--output", "o", "--update", "sideways").toParams());
        assertTrue(e.getMessage().contains("--update"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> parse("--pool", "p", "--target", "t", "--output", "o", "--heldout-fraction", "0").toParams());
        assertTrue(e.getMessage().contains("select.heldoutFraction"), e.getMessage());
    }
}
