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
        assertEquals(new AttributeParams(new AttributionSetup("tr", "ta", "o", TrainingOptions.defaults(),
                SmoothingKnobs.defaults(), 0, 0, 8, 0, false), 10), o.toParams());
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
        assertEquals(5, p.setup().maxTargets());
        assertEquals(2, p.setup().targetsPerTask());
        assertEquals(4, p.setup().replayK());
        assertTrue(p.setup().overwrite());
        assertEquals(7, p.setup().classes());
        assertEquals(TrainingOptions.ModelKind.MLP, p.setup().training().model());
        assertEquals(SmoothingKnobs.Optimizer.ADAM, p.setup().knobs().optimizer());
    }

    @Test
    void invalidValuesFailInToParams() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse("--train", "tr", "--targets", "ta", "--output", "o", "--max-targets", "-1").toParams());
        assertTrue(e.getMessage().contains("maxTargets"), e.getMessage());
    }
}
