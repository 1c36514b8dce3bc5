package io.metagrad.spark.select;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.core.tensor.Precision;
import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.demo.SyntheticSample;
import io.metagrad.spark.train.TrainingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelectJobTest {

    private static SparkSession spark;
    private static SyntheticSample.Paths sample;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("select-job-test");
        sample = new SyntheticSample(3, 6, 120, 0.2, 0.1, 60, 100, 1.5, 11).write(spark, dir.resolve("sample").toString());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static SelectParams.Builder params(String output) {
        TrainingOptions training = new TrainingOptions(TrainingOptions.ModelKind.LOGISTIC, null, 8, 0.2,
                TrainingOptions.ScheduleKind.COSINE, 0, 0.9, 0, 16, 24, 3, Precision.FLOAT32);
        return SelectParams.builder(sample.poolFeatures(), sample.targetFeatures(), output)
                .training(training).mgdSteps(4).maskProbability(0.5).replicas(2).seed(5);
    }

    @Test
    void resumedRunEqualsUninterruptedRunBitwise() {
        String whole = dir.resolve("whole").toString();
        String pieces = dir.resolve("pieces").toString();
        SelectJob.Result a = SelectJob.run(spark, params(whole).build());
        assertTrue(a.finished());
        assertEquals(5, a.metrics().size());

        SelectJob.Result first = SelectJob.run(spark, params(pieces).stopAfter(2).build());
        assertFalse(first.finished());
        assertEquals(2, first.completedStep());
        assertFalse(Files.exists(Path.of(pieces, "selection")));
        SelectJob.Result rest = SelectJob.run(spark, params(pieces).build());
        assertTrue(rest.finished());

        // Finishing a shorter run and then asking for more steps continues it the same way.
        String extended = dir.resolve("extended").toString();
        assertTrue(SelectJob.run(spark, params(extended).mgdSteps(2).build()).finished());
        SelectJob.Result longer = SelectJob.run(spark, params(extended).build());
        assertEquals(a.bestStep(), longer.bestStep());
        assertEquals(rows(whole + "/selection"), rows(extended + "/selection"));

        for (int s = 0; s <= 4; s++) {
            assertEquals(stepRows(whole, s), stepRows(pieces, s), "step " + s);
            assertEquals(stepRows(whole, s), stepRows(extended, s), "step " + s);
        }
        assertEquals(a.metrics().stream().map(StepMetrics::withoutTimes).toList(),
                rest.metrics().stream().map(StepMetrics::withoutTimes).toList());
        assertEquals(a.bestStep(), rest.bestStep());
        assertEquals(rows(whole + "/selection"), rows(pieces + "/selection"));
        // the steps really moved the counts
        assertTrue(a.metrics().stream().anyMatch(m -> m.changed() > 0));
    }

    private static List<String> stepRows(String run, int step) {
        return rows(String.format("%s/steps/step=%05d", run, step));
    }

    /** Rows as text with doubles in hex (exact), sorted by uid. */
    private static List<String> rows(String path) {
        return spark.read().parquet(path).collectAsList().stream()
                .map(SelectJobTest::exact).sorted().collect(Collectors.toList());
    }

    private static String exact(Row r) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < r.length(); i++) {
            Object v = r.get(i);
            b.append(v instanceof Double d ? Double.toHexString(d) : String.valueOf(v)).append('|');
        }
        return b.toString();
    }

    @Test
    void selectionHoldsTheBestIterateCountsRanked() {
        String out = dir.resolve("ranked").toString();
        SelectJob.Result r = SelectJob.run(spark, params(out).build());
        List<Row> best = spark.read().parquet(String.format("%s/steps/step=%05d", out, r.bestStep())).collectAsList();
        List<Row> selection = spark.read().parquet(out + "/selection").orderBy("rank").collectAsList();
        long positive = best.stream().filter(row -> row.getInt(1) > 0).count();
        assertEquals(positive, selection.size());
        assertEquals(positive, r.selected());
        for (int i = 1; i < selection.size(); i++) {
            assertTrue(selection.get(i - 1).getInt(1) >= selection.get(i).getInt(1), "ranked by count");
            assertEquals(i + 1, selection.get(i).getInt(3));
        }
        double bestLoss = r.metrics().get(r.bestStep()).heldoutLoss();
        assertTrue(r.metrics().stream().allMatch(m -> m.heldoutLoss() >= bestLoss));
    }

    @Test
    void budgetKeepsTheFirstRanks() {
        String out = dir.resolve("budget").toString();
        SelectJob.Result r = SelectJob.run(spark, params(out).mgdSteps(1).keep(10).build());
        assertEquals(10, r.selected());
        assertEquals(10, spark.read().parquet(out + "/selection").count());
    }

    @Test
    void refusesToResumeWithOtherParamsOrIntoForeignDirectories() throws Exception {
        String out = dir.resolve("guarded").toString();
        SelectJob.run(spark, params(out).mgdSteps(1).build());
        IllegalArgumentException changed = assertThrows(IllegalArgumentException.class,
                () -> SelectJob.run(spark, params(out).mgdSteps(2).maskProbability(0.3).build()));
        assertTrue(changed.getMessage().contains("mask_probability"), changed.getMessage());
        assertTrue(changed.getMessage().contains("--overwrite"), changed.getMessage());

        Path foreign = dir.resolve("foreign");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("notes.txt"), "mine");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> SelectJob.run(spark, params(foreign.toString()).build()));
        assertTrue(refused.getMessage().contains("notes.txt"), refused.getMessage());
        assertTrue(Files.exists(foreign.resolve("notes.txt")));

        // A run that died before its first checkpoint left its manifest and a partial step: rerunning starts afresh.
        Path crashed = dir.resolve("crashed");
        Files.createDirectories(crashed.resolve("steps/step=00000"));
        Files.writeString(crashed.resolve("_metagrad.json"), "{\"schema\": \"mgd_run/v1\"}");
        assertTrue(SelectJob.run(spark, params(crashed.toString()).mgdSteps(1).build()).finished());
        // Without the manifest nothing proves the directory is a run's: it is refused, even with --overwrite.
        Path unproven = dir.resolve("unproven");
        Files.createDirectories(unproven.resolve("steps/step=00000"));
        Files.createDirectories(unproven.resolve(".git"));
        for (boolean overwrite : new boolean[] {false, true}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SelectJob.run(spark, params(unproven.toString()).overwrite(overwrite).build()));
            assertTrue(e.getMessage().contains("never deletes what it did not create"), e.getMessage());
        }
        assertTrue(Files.exists(unproven.resolve(".git")) && Files.exists(unproven.resolve("steps/step=00000")));

        java.io.UncheckedIOException missing = assertThrows(java.io.UncheckedIOException.class,
                () -> SelectJob.run(spark, SelectParams.builder(dir.resolve("nope").toString(), sample.targetFeatures(),
                        dir.resolve("x").toString()).build()));
        assertTrue(missing.getCause() instanceof java.io.FileNotFoundException, "exit code 3 in mgd");
        assertTrue(missing.getMessage().contains("select.pool"), missing.getMessage());

        SelectJob.Result fresh = SelectJob.run(spark, params(out).mgdSteps(2).maskProbability(0.3).overwrite(true).build());
        assertTrue(fresh.finished());
        assertArrayEquals(new int[] {0, 1, 2}, fresh.metrics().stream().mapToInt(StepMetrics::step).toArray());
    }

    @Test
    void pruneDropsTheLargestMetagradientsUntilTheBudgetAndResumesBitwise() {
        String whole = dir.resolve("prune-whole").toString();
        SelectParams.Builder prune = params(whole).update(UpdateRule.PRUNE).pruneFraction(0.1).keepFraction(0.5);
        SelectJob.Result r = SelectJob.run(spark, prune.build());
        assertTrue(r.finished());
        assertEquals(5, r.completedStep(), "120 → 60 items, 12 per step");
        assertEquals(5, r.bestStep(), "the selection is where the budget is reached");
        assertEquals(60, r.selected());
        List<Row> selection = spark.read().parquet(r.selectionPath()).collectAsList();
        assertTrue(selection.stream().allMatch(row -> row.getInt(1) == 1), "prune keeps items once");

        for (int s = 1; s <= 5; s++) {
            List<Row> step = spark.read().parquet(String.format("%s/steps/step=%05d", whole, s)).collectAsList();
            double smallestDropped = step.stream().filter(row -> row.getInt(2) < 0).mapToDouble(row -> row.getDouble(3)).min()
                    .orElseThrow();
            double largestKept = step.stream().filter(row -> row.getInt(1) > 0).mapToDouble(row -> row.getDouble(3)).max()
                    .orElseThrow();
            assertEquals(12, step.stream().filter(row -> row.getInt(2) < 0).count(), "step " + s + " drops 12");
            assertTrue(smallestDropped >= largestKept, "step " + s + " drops the largest metagradients");
            int trained = 120 - 12 * (s - 1);
            assertEquals(trained, step.stream().filter(row -> !row.isNullAt(3)).count(),
                    "step " + s + " differentiates only the items it trained on");
        }

        String pieces = dir.resolve("prune-pieces").toString();
        assertFalse(SelectJob.run(spark, params(pieces).update(UpdateRule.PRUNE).pruneFraction(0.1).keepFraction(0.5)
                .stopAfter(2).build()).finished());
        SelectJob.Result rest = SelectJob.run(spark, params(pieces).update(UpdateRule.PRUNE).pruneFraction(0.1)
                .keepFraction(0.5).build());
        assertTrue(rest.finished());
        assertEquals(rows(whole + "/selection"), rows(pieces + "/selection"));
        assertEquals(r.metrics().stream().map(StepMetrics::withoutTimes).toList(),
                rest.metrics().stream().map(StepMetrics::withoutTimes).toList());

        IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> SelectJob.run(spark,
                params(whole).update(UpdateRule.PRUNE).pruneFraction(0.2).keepFraction(0.5).build()));
        assertTrue(other.getMessage().contains("prune_fraction"), other.getMessage());

        SelectJob.Result everything = SelectJob.run(spark, params(dir.resolve("prune-all").toString())
                .update(UpdateRule.PRUNE).keep(120).build());
        assertTrue(everything.finished());
        assertEquals(0, everything.completedStep(), "a budget of the whole pool needs no step");
        assertEquals(120, everything.selected());
    }

    @Test
    void baselineMethodsWriteTheSameSelectionTableAtTheBudget() {
        for (Method m : new Method[] {Method.RANDOM, Method.LOSS, Method.CLIP_SCORE, Method.GRAD_SIM, Method.INFLUENCE}) {
            String out = dir.resolve("baseline-" + m.cliName()).toString();
            SelectJob.Result r = BaselineSelectJob.run(spark, params(out).keepFraction(0.25).build(), m);
            assertEquals(30, r.selected(), m.cliName());
            List<org.apache.spark.sql.Row> rows = spark.read().parquet(r.selectionPath()).orderBy("rank").collectAsList();
            assertEquals(30, rows.size());
            assertEquals(1, rows.get(0).getInt(3));
            assertTrue(rows.stream().allMatch(row -> row.getInt(1) == 1), "count 1 per kept item");
        }
        IllegalArgumentException noBudget = assertThrows(IllegalArgumentException.class,
                () -> BaselineSelectJob.run(spark, params(dir.resolve("nb").toString()).build(), Method.LOSS));
        assertTrue(noBudget.getMessage().contains("--keep-fraction"), noBudget.getMessage());
        SelectJob.Result mgd = SelectJob.run(spark, params(dir.resolve("mgd-budget").toString()).keepFraction(0.25).build());
        assertEquals(30, mgd.selected(), "MGD fills the budget exactly too");
    }
}
