package io.metagrad.spark.attribute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.spark.train.SmoothingKnobs;
import io.metagrad.spark.train.TrainingOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AttributeOptionsTest {

    private static AttributeOptions parse(String... args) {
        AttributeOptions o = new AttributeOptions();
        new CommandLine(o).parseArgs(args);
        return o;
    }

    @Test
    void commandLineDefaultsEqualTheDocumentedDefaults() {
        AttributeOptions o = parse("--train", "tr", "--targets", "ta", "--output", "o");
        assertEquals(new AttributeParams("tr", "ta", "o", TrainingOptions.defaults(), SmoothingKnobs.defaults(), 0, 0, 8, 10, 0,
                false), o.toParams());
        assertEquals(10, o.top());
    }

    @Test
    void flagsReachTheParams() {
        AttributeOptions o = parse("--train", "tr", "--targets", "ta", "--output", "o", "--top", "3", "--max-targets", "5",
                "--targets-per-task", "2", "--replay-k", "4", "--overwrite", "--classes", "7", "--model", "MLP",
                "--optimizer", "ADAM");
        AttributeParams p = o.toParams();
        assertEquals(3, o.top());
        assertEquals(3, p.top());
        assertEquals(5, p.maxTargets());
        assertEquals(2, p.targetsPerTask());
        assertEquals(4, p.replayK());
        assertTrue(p.overwrite());
        assertEquals(7, p.classes());
        assertEquals(TrainingOptions.ModelKind.MLP, p.training().model());
        assertEquals(SmoothingKnobs.Optimizer.ADAM, p.knobs().optimizer());
    }

    @Test
    void invalidValuesFailInToParams() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse("--train", "tr", "--targets", "ta", "--output", "o", "--max-targets", "-1").toParams());
        assertTrue(e.getMessage().contains("maxTargets"), e.getMessage());
    }
}
