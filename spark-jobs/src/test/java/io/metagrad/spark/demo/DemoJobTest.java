package io.metagrad.spark.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.core.tensor.Precision;
import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.train.TrainingOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoJobTest {

    private static SparkSession spark;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("demo-job-test");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** A smaller sample than the real demo's, so that the test stays quick. */
    private static final DemoInputs SMALL = (spark, work) -> {
        SyntheticSample.Paths p = new SyntheticSample(4, 8, 160, 0.25, 0.1, 80, 120, 1.0, 9).write(spark, work + "/features");
        return new DemoInputs.Tables(p.pool(), p.poolFeatures(), p.targetFeatures(), p.testFeatures(), "small synthetic");
    };

    @Test
    void runsThePipelineAndReportsOutputsAndImprovement() {
        TrainingOptions training = new TrainingOptions(TrainingOptions.ModelKind.LOGISTIC, null, 8, 0.2,
                TrainingOptions.ScheduleKind.COSINE, 0, 0.9, 0, 16, 30, 0, Precision.FLOAT32);
        DemoParams params = new DemoParams(dir.resolve("demo").toString(), false, training, 3, 0.5, 2, "unused: synthetic inputs");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DemoJob.Result r = DemoJob.run(spark, params, SMALL, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertTrue(out.contains("select step 3/3"), out);
        assertTrue(out.contains("curated table:"), out);
        assertTrue(out.contains("test accuracy: all data"), out);
        assertTrue(out.contains("flipped    items dropped"), out);
        assertTrue(Files.exists(dir.resolve("demo/curate/subset.npy")));
        assertTrue(Files.exists(dir.resolve("demo/select/selection")));

        Map<String, DemoJob.NoiseLine> noise = r.noise().stream().collect(Collectors.toMap(DemoJob.NoiseLine::source, n -> n));
        assertEquals(36, noise.get("flipped").total());
        assertEquals(16, noise.get("duplicate").total());
        long dropped = r.noise().stream().mapToLong(DemoJob.NoiseLine::dropped).sum();
        assertEquals(r.select().poolSize() - r.select().selected(), dropped);
        assertFalse(Double.isNaN(r.comparison().all().testAccuracy()));
        assertEquals(160, r.comparison().all().trainingRows());
        assertEquals(r.select().selected(), r.comparison().subset().trainingRows());

        IllegalArgumentException again = assertThrows(IllegalArgumentException.class,
                () -> DemoJob.run(spark, params, SMALL, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        assertTrue(again.getMessage().contains("--overwrite"), again.getMessage());
    }
}
