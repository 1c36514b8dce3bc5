package io.metagrad.spark.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.spark.select.Method;
import io.metagrad.spark.train.SmoothingKnobs;
import io.metagrad.spark.train.TrainingOptions;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EvaluateOptionsTest {

    private static EvaluateOptions parse(String... args) {
        EvaluateOptions o = new EvaluateOptions();
        new CommandLine(o).parseArgs(args);
        return o;
    }

    private static EvaluateParams required(String... more) {
        String[] base = {"--pool", "p", "--target", "t", "--test", "x", "--output", "o"};
        String[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return parse(all).toParams();
    }

    @Test
    void commandLineDefaultsEqualTheDocumentedDefaults() {
        EvaluateParams p = required();
        assertEquals(List.of(Method.RANDOM, Method.LOSS, Method.GRAD_SIM, Method.INFLUENCE, Method.MGD, Method.MGD_PRUNE),
                p.methods(), "clip-score only with a model that scores pairs");
        assertArrayEquals(new double[] {0.3, 0.5, 0.7}, p.budgets());
        assertEquals(5, p.seeds());
        assertEquals(MgdSettings.defaults(), p.mgd());
        assertEquals(TrainingOptions.defaults(), p.training());
        assertEquals(SmoothingKnobs.defaults(), p.knobs());
        assertEquals(0, p.classes());
        assertEquals(0, p.seed());
        assertNull(p.prompts());
        assertFalse(p.overwrite());
    }

    @Test
    void flagsReachTheParams() {
        EvaluateParams p = required("--methods", "random,mgd", "--budgets", "0.4", "--seeds", "2", "--mgd-steps", "3",
                "--mgd-replicas", "4", "--mgd-step-size", "2", "--mgd-mask-probability", "0.5", "--mgd-prune-fraction", "0.1",
                "--mgd-target", "zero-shot", "--seed", "7", "--overwrite", "--prompts", "pr");
        assertEquals(List.of(Method.RANDOM, Method.MGD), p.methods());
        assertArrayEquals(new double[] {0.4}, p.budgets());
        assertEquals(2, p.seeds());
        assertEquals(new MgdSettings(3, 4, 2, 0.5, 0.1, true), p.mgd());
        assertEquals(7, p.seed());
        assertTrue(p.overwrite());
        assertEquals("pr", p.prompts());
    }

    @Test
    void anUnknownMgdTargetIsAnIllegalArgument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> required("--mgd-target", "sideways"));
        assertTrue(e.getMessage().contains("--mgd-target"), e.getMessage());
    }

    @Test
    void aDataCompFilterIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> required("--methods", "random,basic"));
        assertTrue(e.getMessage().contains("--methods basic") && e.getMessage().contains("select --method basic"), e.getMessage());
    }
}
