package io.metagrad.spark.curate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.metagrad.core.tensor.Precision;
import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.demo.SyntheticSample;
import io.metagrad.spark.select.SelectJob;
import io.metagrad.spark.select.SelectParams;
import io.metagrad.spark.train.TrainingOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CurateJobTest {

    private static SparkSession spark;
    private static SyntheticSample.Paths sample;
    private static SelectJob.Result select;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("curate-job-test");
        sample = new SyntheticSample(3, 5, 90, 0.2, 0.1, 40, 10, 1.5, 4).write(spark, dir.resolve("sample").toString());
        TrainingOptions training = new TrainingOptions(TrainingOptions.ModelKind.LOGISTIC, null, 8, 0.2,
                TrainingOptions.ScheduleKind.COSINE, 0, 0.9, 0, 16, 20, 0, Precision.FLOAT32);
        select = SelectJob.run(spark, SelectParams.builder(sample.poolFeatures(), sample.targetFeatures(),
                dir.resolve("select").toString()).training(training).mgdSteps(2).maskProbability(0.5).build());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void curatedTableNpyAndSummaryHoldExactlyTheSelection() throws Exception {
        String out = dir.resolve("curated-run").toString();
        CurateJob.Result r = CurateJob.run(spark, new CurateParams(sample.pool(), select.output(), out, false));

        List<String> selected = spark.read().parquet(select.selectionPath()).select("uid").as(Encoders.STRING()).collectAsList();
        List<String> curated = spark.read().parquet(r.curatedPath()).select("uid").as(Encoders.STRING()).collectAsList();
        assertEquals(new TreeSet<>(selected), new TreeSet<>(curated));
        assertEquals(selected.size(), curated.size());
        assertTrue(selected.size() < 90, "MGD dropped something");
        assertEquals(List.of("uid", "label", "source"), Arrays.asList(spark.read().parquet(r.curatedPath()).columns()));

        byte[] npy = Files.readAllBytes(Path.of(out, CurateJob.NPY));
        byte[] header = DataCompSubset.header(selected.size());
        assertArrayEquals(header, Arrays.copyOf(npy, header.length));
        assertEquals(header.length + 16L * selected.size(), npy.length);
        ByteBuffer data = ByteBuffer.wrap(npy, header.length, npy.length - header.length).order(ByteOrder.LITTLE_ENDIAN);
        List<String> fromNpy = new java.util.ArrayList<>();
        for (int i = 0; i < selected.size(); i++) {
            fromNpy.add(String.format("%016x%016x", data.getLong(), data.getLong()));
        }
        assertEquals(new TreeSet<>(selected).stream().toList(), fromNpy, "hex uids, sorted, high half first");

        JsonObject summary = JsonParser.parseString(Files.readString(Path.of(out, CurateJob.SUMMARY))).getAsJsonObject();
        assertEquals(90, summary.get("input_rows").getAsLong());
        assertEquals(selected.size(), summary.get("selected").getAsLong());
        assertEquals(select.metrics().get(0).targetLoss(), summary.getAsJsonObject("target_loss").get("before").getAsDouble());
        assertEquals(select.metrics().get(select.bestStep()).targetLoss(),
                summary.getAsJsonObject("target_loss").get("after").getAsDouble());
        assertEquals(2, summary.getAsJsonArray("seconds_per_step").size());
        assertTrue(Files.exists(Path.of(r.curatedPath().replace("file:", ""), "_metagrad.json")));
    }

    @Test
    void refusesSelectionsNotDrawnFromTheInputAndLeavesNothingBehind() {
        String out = dir.resolve("wrong-input").toString();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CurateJob.run(spark, new CurateParams(sample.targetFeatures(), select.output(), out, false)));
        assertTrue(e.getMessage().contains("not in input table"), e.getMessage());
        assertFalse(Files.exists(Path.of(out)));
        assertEquals(0, dir.toFile().list((d, name) -> name.startsWith(".wrong-input")).length, "staging removed");
    }

    @Test
    void refusesAnExistingOutputWithoutOverwrite() throws Exception {
        Path out = dir.resolve("existing");
        Files.createDirectories(out); // an empty directory holds nothing to lose: it is used
        CurateJob.run(spark, new CurateParams(sample.pool(), select.output(), out.toString(), false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CurateJob.run(spark, new CurateParams(sample.pool(), select.output(), out.toString(), false)));
        assertTrue(e.getMessage().contains("--overwrite"), e.getMessage());
    }
}
