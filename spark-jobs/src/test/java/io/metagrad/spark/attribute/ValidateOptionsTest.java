package io.metagrad.spark.attribute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.spark.train.SmoothingKnobs;
import io.metagrad.spark.train.TrainingOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ValidateOptionsTest {

    private static ValidateOptions parse(String... args) {
        ValidateOptions o = new ValidateOptions();
        new CommandLine(o).parseArgs(args);
        return o;
    }

    @Test
    void commandLineDefaultsEqualTheDocumentedDefaults() {
        assertEquals(new ValidateParams(new AttributionSetup("tr", "ta", "o", TrainingOptions.defaults(), SmoothingKnobs.defaults(),
                0, 0, 8, 0, false), 100, 0.01, 1000, 0), parse("--train", "tr", "--targets", "ta", "--output", "o").toParams());
    }

    @Test
    void flagsReachTheParams() {
        ValidateParams p = parse("--train", "tr", "--targets", "ta", "--output", "o", "--subsets", "20", "--remove-fraction",
                "0.1", "--bootstrap", "50", "--seed", "9", "--targets-per-task", "3", "--train-steps", "40").toParams();
        assertEquals(20, p.subsets());
        assertEquals(0.1, p.removeFraction());
        assertEquals(50, p.bootstrap());
        assertEquals(9, p.seed());
        assertEquals(3, p.setup().targetsPerTask());
        assertEquals(40, p.setup().training().steps());
    }

    @Test
    void invalidValuesNameTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse("--train", "tr", "--targets", "ta", "--output", "o", "--remove-fraction", "2").toParams());
        assertTrue(e.getMessage().contains("validate.removeFraction"), e.getMessage());
    }
}
