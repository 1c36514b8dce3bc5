package io.metagrad.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.spark.JobMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --lr-schedule file:PATH.json}: what tune-lr writes, every training job reads. */
class ScheduleFileTest {

    @TempDir
    Path dir;

    private TrainingOptions parse(String... args) {
        TrainingFlags flags = new TrainingFlags();
        new CommandLine(flags).parseArgs(args);
        return flags.toOptions();
    }

    @Test
    void aWrittenScheduleIsAnExplicitScheduleOfExactlyItsRates() throws Exception {
        double[] rates = {0.1, 0.3, 0.2 / 3, 1e-4};
        Path file = dir.resolve("schedule.json");
        Files.writeString(file, ScheduleFile.json(rates, 0.01, Map.of("made_by", "test")));
        TrainingOptions o = parse("--lr-schedule", "file:" + file, "--train-steps", "4");
        assertEquals(TrainingOptions.ScheduleKind.EXPLICIT, o.schedule());
        assertArrayEquals(rates, o.config(3, 2, 0).schedule().rates(4));
        assertEquals(0.01, ScheduleFile.read("file:" + file).weightDecay());
        assertEquals(o, parse("--lr-schedule", file.toUri().toString(), "--train-steps", "4")); // a file:/// URI too
        assertNotEquals(o.describe(), parse("--lr-schedule", "COSINE", "--train-steps", "4").describe());
        assertTrue(o.describe().containsKey("schedule_rates_sha256"));
    }

    @Test
    void badScheduleFilesFailNamingTheFileAndField() throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, ScheduleFile.json(new double[] {0.1, 0.2}, null, Map.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse("--lr-schedule", "file:" + file, "--train-steps", "3"));
        assertTrue(e.getMessage().contains("needs one rate per step: --train-steps is 3"), e.getMessage());
        Files.writeString(file, "{\"schema\": \"lr_schedule/v1\", \"rates\": [0.1, -2]}");
        e = assertThrows(IllegalArgumentException.class, () -> parse("--lr-schedule", "file:" + file, "--train-steps", "2"));
        assertTrue(e.getMessage().contains(file + ": field 'rates' entry 1"), e.getMessage());
        Files.writeString(file, "{\"rates\": [0.1]}");
        e = assertThrows(IllegalArgumentException.class, () -> parse("--lr-schedule", "file:" + file, "--train-steps", "1"));
        assertTrue(e.getMessage().contains("field 'schema'"), e.getMessage());
        Files.writeString(file, "not json");
        assertEquals(2, JobMain.exitCode(assertThrows(RuntimeException.class,
                () -> parse("--lr-schedule", "file:" + file, "--train-steps", "1"))));
        assertEquals(3, JobMain.exitCode(assertThrows(RuntimeException.class,
                () -> parse("--lr-schedule", "file:" + dir.resolve("missing.json"), "--train-steps", "1"))));
        e = assertThrows(IllegalArgumentException.class, () -> parse("--lr-schedule", "STEPWISE"));
        assertTrue(e.getMessage().contains("--lr-schedule STEPWISE invalid"), e.getMessage());
        assertEquals(TrainingOptions.ScheduleKind.LINEAR, parse("--lr-schedule", "linear").schedule());
    }
}
