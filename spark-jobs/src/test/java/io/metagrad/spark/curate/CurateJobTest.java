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
import io.metagrad.spark.select.BaselineSelectJob;
import io.metagrad.spark.select.Method;
import io.metagrad.spark.select.SelectJob;
import io.metagrad.spark.show.RunInfo;
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
        assertEquals(List.of("uid", "label", "source", CurateJob.COUNT_COLUMN),
                Arrays.asList(spark.read().parquet(r.curatedPath()).columns()));
        // each item keeps its MGD count: the weight training on the subset uses
        assertEquals(counts(spark.read().parquet(select.selectionPath()).select("uid", "count")),
                counts(spark.read().parquet(r.curatedPath()).select("uid", CurateJob.COUNT_COLUMN)));
        assertTrue(spark.read().parquet(r.curatedPath()).where(CurateJob.COUNT_COLUMN + " > 1").count() > 0,
                "some counts above 1, so the column is not a constant");

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
    void curatesABaselineSelectionAnEvaluateRunAndABareSelectionTable() throws Exception {
        SelectJob.Result random = BaselineSelectJob.run(spark, SelectParams.builder(sample.poolFeatures(), sample.targetFeatures(),
                dir.resolve("random").toString()).keepFraction(0.5).build(), Method.RANDOM);
        CurateJob.Result r = CurateJob.run(spark, new CurateParams(sample.pool(), random.output(), dir.resolve("c-random").toString(),
                false));
        assertEquals(45, r.selected());
        assertEquals(counts(spark.read().parquet(random.selectionPath()).select("uid", "count")),
                counts(spark.read().parquet(r.curatedPath()).select("uid", CurateJob.COUNT_COLUMN)));
        JsonObject summary = JsonParser.parseString(Files.readString(Path.of(r.summaryPath().replace("file:", ""))))
                .getAsJsonObject();
        assertEquals("select:random", summary.get("selection_kind").getAsString());
        assertFalse(summary.has("target_loss"), "a baseline has no MGD losses to report");

        // evaluate keeps each method's selection as runs/<method>-<budget>/selection/ (no manifest); and a bare table
        Path evaluateRun = dir.resolve("evaluate-out/runs/random-0.50");
        Files.createDirectories(evaluateRun);
        spark.read().parquet(random.selectionPath()).coalesce(1).write().parquet(evaluateRun.resolve("selection").toString());
        CurateJob.Result fromEvaluate = CurateJob.run(spark, new CurateParams(sample.pool(), evaluateRun.toString(),
                dir.resolve("c-evaluate").toString(), false));
        CurateJob.Result fromTable = CurateJob.run(spark, new CurateParams(sample.pool(), random.selectionPath(),
                dir.resolve("c-table").toString(), false));
        for (CurateJob.Result c : List.of(fromEvaluate, fromTable)) {
            assertEquals(counts(spark.read().parquet(r.curatedPath())), counts(spark.read().parquet(c.curatedPath())));
        }

        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> CurateJob.run(spark,
                new CurateParams(sample.pool(), sample.pool(), dir.resolve("c-none").toString(), false)));
        assertTrue(none.getMessage().contains("holds no selection"), none.getMessage());
    }

    @Test
    void showPrintsKindStepsAndSelectionSize() throws Exception {
        RunInfo mgd = RunInfo.read(select.output(), spark.sparkContext().hadoopConfiguration());
        assertEquals("MGD select run", mgd.kind());
        assertEquals(java.util.Map.of("completed", 2, "planned", 2, "best", select.bestStep()), mgd.steps());
        assertEquals(select.selected(), mgd.selectionRows());
        assertEquals(2, mgd.params().getAsJsonObject().get("mgd_steps").getAsInt());
        JsonObject json = JsonParser.parseString(mgd.json()).getAsJsonObject();
        assertEquals(select.selected(), json.get("selection_rows").getAsLong());
        assertEquals(2, json.getAsJsonObject("steps").get("completed").getAsInt());
        assertTrue(mgd.text().contains("steps:     2 of 2 completed"), mgd.text());
        IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class,
                () -> RunInfo.read(dir.resolve("sample").toString(), spark.sparkContext().hadoopConfiguration()));
        assertTrue(foreign.getMessage().contains("no _metagrad.json"), foreign.getMessage());
    }

    /** uid → count, sorted by uid; the second column is the count. */
    private static java.util.Map<String, Integer> counts(org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> rows) {
        java.util.Map<String, Integer> m = new java.util.TreeMap<>();
        for (org.apache.spark.sql.Row r : rows.select(rows.columns()[0], rows.columns()[rows.columns().length - 1]).collectAsList()) {
            m.put(r.getString(0), r.getInt(1));
        }
        return m;
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
