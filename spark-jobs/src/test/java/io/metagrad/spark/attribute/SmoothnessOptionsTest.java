package io.metagrad.spark.attribute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.spark.train.SmoothingKnobs;
import io.metagrad.spark.train.TrainingOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SmoothnessOptionsTest {

    private static SmoothnessOptions parse(String... args) {
        SmoothnessOptions o = new SmoothnessOptions();
        new CommandLine(o).parseArgs(args);
        return o;
    }

    @Test
    void commandLineDefaultsEqualTheDocumentedDefaults() {
        assertEquals(new SmoothnessParams("tr", null, TrainingOptions.defaults(), SmoothingKnobs.defaults(), 0, 3, 0.1, 0, false),
                parse("--train", "tr").toParams());
    }

    @Test
    void flagsReachTheParams() {
        SmoothnessParams p = parse("--train", "tr", "--output", "o", "--directions", "5", "--step", "0.2", "--seed", "3",
                "--overwrite", "--grad-clip", "1").toParams();
        assertEquals(new SmoothnessParams("tr", "o", TrainingOptions.defaults(),
                new SmoothingKnobs(SmoothingKnobs.Optimizer.SGD, 1e-8, false, SmoothingKnobs.defaults().activation(), 1, 1), 0, 5, 0.2,
                3, true), p);
    }

    @Test
    void invalidValuesFailInToParams() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse("--train", "tr", "--warmup-steps", "999").toParams());
        assertTrue(e.getMessage().contains("train.warmupSteps"), e.getMessage());
    }
}
