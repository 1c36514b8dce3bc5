package io.metagrad.spark.tune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.metagrad.core.tensor.Precision;
import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.descent.DescentDirectory;
import io.metagrad.spark.descent.DescentLoop;
import io.metagrad.spark.descent.DescentSettings;
import io.metagrad.spark.descent.Point;
import io.metagrad.spark.descent.StepRule;
import io.metagrad.spark.descent.StepSchedule;
import io.metagrad.spark.descent.TestSplits;
import io.metagrad.spark.train.ScheduleFile;
import io.metagrad.spark.train.SmoothingKnobs;
import io.metagrad.spark.train.Splits;
import io.metagrad.spark.train.TrainingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tune-lr end to end on small tables: exact metagradients through its parameterization, resume, the baselines, the schedule file. */
class TuneJobTest {

    private static SparkSession spark;
    private static TestSplits.Paths tables;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("tune-job-test");
        tables = TestSplits.write(spark, dir.resolve("data"), 40, 20, 20, 5);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static TrainingOptions training(Precision precision, double weightDecay) {
        return new TrainingOptions(TrainingOptions.ModelKind.MLP, new int[] {5}, 8, 0.2, TrainingOptions.ScheduleKind.COSINE, 2,
                0.9, weightDecay, 8, 10, 0, precision);
    }

    private static TuneParams.Builder params(String output) {
        return TuneParams.builder(tables.train(), tables.validation(), tables.test(), output).training(training(Precision.FLOAT32, 0))
                .knots(4).lrRange(0.01, 2).evalSeeds(2)
                .descent(new DescentSettings(3, 0.2, StepSchedule.CONSTANT, 0.1, StepRule.SIGNED, 0));
    }

    @Test
    void metagradientThroughKnotsLogSpaceAndWeightDecayMatchesFiniteDifferences() {
        TuneParams p = params(dir.resolve("unused").toString()).training(training(Precision.FLOAT64, 0.01)).tuneWeightDecay(true)
                .knobs(new SmoothingKnobs(SmoothingKnobs.Optimizer.ADAM, 1e-6, false, io.metagrad.core.model.ModelSpec.Activation.TANH, 1, 0))
                .build();
        Splits s = Splits.read(spark, p.train(), p.validation(), p.test(), p.training(), p.knobs(), 0);
        TuneData data = new TuneData(s.train(), s.validation(), s.test(), s.spec());
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<TuneData> shared = jsc.broadcast(data);
        TuneSpace space = new TuneSpace(new KnotSchedule(10, 4), p.lrRange(), true, p.wdRange());
        TuneObjective objective = new TuneObjective(jsc, shared, space, 2, 3);
        double[] z = space.start(data.config(0).schedule().rates(10), 0.01);
        z[1] += 0.3; // a knot off the cosine, so that every segment has its own slope
        Point at = objective.at(z, 0);
        double h = 1e-5;
        double[] numeric = new double[z.length];
        for (int j = 0; j < z.length; j++) {
            double[] up = z.clone();
            double[] down = z.clone();
            up[j] += h;
            down[j] -= h;
            numeric[j] = (objective.at(up, 0).value() - objective.at(down, 0).value()) / (2 * h);
        }
        double diff = 0;
        double norm = 0;
        for (int j = 0; j < z.length; j++) {
            diff += Math.pow(at.gradient()[j] - numeric[j], 2);
            norm += numeric[j] * numeric[j];
        }
        double error = Math.sqrt(diff / norm);
        assertTrue(norm > 0 && error < 1e-6, "relative error " + error + "\n" + Arrays.toString(at.gradient()) + "\n"
                + Arrays.toString(numeric));
        assertEquals(5, z.length);
        shared.destroy();
    }

    @Test
    void stoppedAndResumedRunEqualsUninterruptedRunAndItsScheduleTrainsEveryJob() {
        String whole = dir.resolve("whole").toString();
        String pieces = dir.resolve("pieces").toString();
        TuneJob.Result a = TuneJob.run(spark, params(whole).build());
        assertTrue(a.finished());
        TuneJob.Result first = TuneJob.run(spark, params(pieces).descent(
                new DescentSettings(3, 0.2, StepSchedule.CONSTANT, 0.1, StepRule.SIGNED, 2)).build());
        assertFalse(first.finished());
        assertFalse(Files.exists(Path.of(pieces, "schedule.json")));
        TuneJob.Result rest = TuneJob.run(spark, params(pieces).build());
        assertTrue(rest.finished());
        assertEquals(metrics(whole), metrics(pieces));
        ScheduleFile.Contents one = ScheduleFile.read("file:" + a.schedulePath().replace("file:", ""));
        ScheduleFile.Contents two = ScheduleFile.read("file:" + rest.schedulePath().replace("file:", ""));
        assertArrayEquals(one.rates(), two.rates());
        assertEquals(10, one.rates().length);
        // MGD moved the rates (a step of 0.2 in log space changes a knot by about 22 %)
        double[] start = training(Precision.FLOAT32, 0).config(4, 3, 0).schedule().rates(10);
        assertFalse(Arrays.equals(start, one.rates()));

        // The schedule file is a --lr-schedule value every training job accepts, and trains exactly those rates.
        io.metagrad.spark.attribute.SmoothnessOptions smooth = new io.metagrad.spark.attribute.SmoothnessOptions();
        new picocli.CommandLine(smooth).parseArgs("--train", tables.train(), "--lr-schedule",
                "file:" + a.schedulePath().replace("file:", ""), "--train-steps", "10");
        TrainingOptions parsed = smooth.toParams().training();
        assertEquals(TrainingOptions.ScheduleKind.EXPLICIT, parsed.schedule());
        assertArrayEquals(one.rates(), parsed.config(4, 3, 0).schedule().rates(10));
        // and retraining with it reproduces the report's evaluation (same data, same seeds)
        Splits s = Splits.read(spark, tables.train(), tables.validation(), tables.test(), training(Precision.FLOAT32, 0),
                SmoothingKnobs.defaults(), 0);
        TuneData data = new TuneData(s.train(), s.validation(), s.test(), s.spec());
        double loss = data.score(one.rates(), null, TuneParams.EVAL_SEED_OFFSET).validationLoss();
        assertEquals(((double[]) ((java.util.Map<?, ?>) ((java.util.Map<?, ?>) a.report().get("evaluation")).get("validation_loss"))
                .get("per_seed"))[0], loss, 0);
    }

    @Test
    void theDefaultGridHasMoreThan200SchedulesEachASparkTaskAndIsDeterministic() throws Exception {
        List<Candidate> grid = SearchSpace.grid(SearchSpace.logSpaced(0.01, 2, 8), new double[] {0, 0.05, 0.1, 0.2},
                new double[] {0, 0.01, 0.1, 0.3});
        assertEquals(288, grid.size());
        assertTrue(grid.stream().allMatch(c -> Arrays.stream(c.rates(10)).allMatch(r -> r > 0)));

        AtomicInteger largestStage = new AtomicInteger();
        SparkListener counter = new SparkListener() {
            @Override
            public void onStageCompleted(SparkListenerStageCompleted e) {
                largestStage.accumulateAndGet(e.stageInfo().numTasks(), Math::max);
            }
        };
        spark.sparkContext().addSparkListener(counter);
        // a smaller grid for the test's time: 3 peaks × 2 warmups × (2 shapes × 2 finals + constant) = 30 schedules
        TuneParams p = params(dir.resolve("grid-1").toString()).method(TuneMethod.GRID)
                .grid(new double[] {0.05, 0.2, 0.8}, new double[] {0, 0.2}, new double[] {0, 0.1}).build();
        TuneJob.Result a = TuneJob.run(spark, p);
        spark.sparkContext().listenerBus().waitUntilEmpty();
        spark.sparkContext().removeSparkListener(counter);
        assertEquals(30, largestStage.get());
        TuneJob.Result b = TuneJob.run(spark, params(dir.resolve("grid-2").toString()).method(TuneMethod.GRID)
                .grid(new double[] {0.05, 0.2, 0.8}, new double[] {0, 0.2}, new double[] {0, 0.1}).build());
        assertEquals(withoutSeconds(a.output()), withoutSeconds(b.output()));
        assertEquals(io.metagrad.spark.io.Json.compact(a.report().get("search")), io.metagrad.spark.io.Json.compact(b.report().get("search")));
        assertEquals(30, ((Number) ((java.util.Map<?, ?>) a.report().get("compute")).get("training_runs")).intValue());

        TuneJob.Result r = TuneJob.run(spark, params(dir.resolve("random").toString()).method(TuneMethod.RANDOM).trials(7).seed(3).build());
        assertEquals(7, withoutSeconds(r.output()).size());
        assertTrue(Files.exists(Path.of(r.schedulePath().replace("file:", ""))));
    }

    @Test
    void aSearchedScheduleThatDivergesRanksLastInsteadOfFailingTheSearch() throws Exception {
        // peak 1e4 diverges (the training guard stops it); the search reports it and picks among the others
        TuneJob.Result r = TuneJob.run(spark, params(dir.resolve("grid-diverging").toString()).method(TuneMethod.GRID)
                .grid(new double[] {0.1, 1e4}, new double[] {0}, new double[] {0}).build());
        java.util.Map<?, ?> search = (java.util.Map<?, ?>) r.report().get("search");
        assertEquals(3L, ((Number) search.get("diverged")).longValue());
        assertTrue(Double.isFinite(((Number) search.get("validation_loss")).doubleValue()), search.toString());
        List<String> lines = Files.readAllLines(Path.of(r.output().replace("file:", ""), "candidates.jsonl"));
        assertEquals(6, lines.size());
        assertEquals(3, lines.stream().filter(l -> l.contains("\"diverged\":\"training diverged")
                && !l.matches(".*\"validation_loss\":[0-9].*")).count(), String.join("\n", lines));
    }

    @Test
    void overwriteReplacesAnEarlierRunWholeAndNothingElse() throws Exception {
        String out = dir.resolve("replaced").toString();
        TuneJob.run(spark, params(out).method(TuneMethod.GRID).grid(new double[] {0.1}, new double[] {0}, new double[] {0}).build());
        // a finished search is no MGD run to resume
        IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TuneJob.run(spark, params(out).build()));
        assertTrue(refused.getMessage().contains("no MGD run"), refused.getMessage());
        assertTrue(Files.exists(Path.of(out, "candidates.jsonl")), "the search's output is untouched");
        // --overwrite builds the MGD run beside it and swaps it in
        TuneJob.Result r = TuneJob.run(spark, params(out).overwrite(true).build());
        assertTrue(r.finished());
        assertEquals(Path.of(out).toUri().getPath().replaceAll("/$", ""), r.output().replace("file:", ""));
        assertFalse(Files.exists(Path.of(out, "candidates.jsonl")));
        String reference = dir.resolve("not-replaced").toString();
        TuneJob.run(spark, params(reference).build());
        assertEquals(metrics(reference), metrics(out));
        try (java.util.stream.Stream<Path> siblings = Files.list(dir)) {
            assertEquals(List.of(), siblings.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".replaced.")).toList());
        }
        // a directory metagrad did not make is never replaced, whatever the flags
        Path user = Files.createDirectories(dir.resolve("user/.git"));
        Files.writeString(user.resolve("HEAD"), "ref: refs/heads/main\n");
        refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TuneJob.run(spark, params(dir.resolve("user").toString()).overwrite(true).build()));
        assertTrue(refused.getMessage().contains("never deletes what it did not create"), refused.getMessage());
        assertTrue(Files.exists(user.resolve("HEAD")));
    }

    private static List<String> withoutSeconds(String output) {
        try {
            return Files.readAllLines(Path.of(output.replace("file:", ""), "candidates.jsonl")).stream()
                    .map(l -> l.replaceAll("\"seconds\":[0-9.eE-]+", "")).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> metrics(String run) {
        List<JsonObject> m = DescentDirectory.at(run, spark.sparkContext().hadoopConfiguration()).readMetrics(3);
        return m.stream().map(DescentLoop::withoutTimes).map(l -> {
            l.getAsJsonObject("metrics").remove("task_seconds");
            return l.toString();
        }).toList();
    }
}
