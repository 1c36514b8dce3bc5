package io.metagrad.spark.poison;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import io.metagrad.spark.io.FeatureTables;
import io.metagrad.spark.io.Json;
import io.metagrad.spark.train.SmoothingKnobs;
import io.metagrad.spark.train.Splits;
import io.metagrad.spark.train.TrainingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The poison job end to end on small tables: exact metagradients through its configuration, resume, baselines, outputs. */
class PoisonJobTest {

    private static SparkSession spark;
    private static TestSplits.Paths tables;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("poison-job-test");
        tables = TestSplits.write(spark, dir.resolve("data"), 40, 20, 30, 3);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static TrainingOptions training(Precision precision) {
        return new TrainingOptions(TrainingOptions.ModelKind.MLP, new int[] {5}, 8, 0.3, TrainingOptions.ScheduleKind.COSINE, 2,
                0.9, 0, 8, 12, 0, precision);
    }

    private static PoisonParams.Builder params(String output) {
        return PoisonParams.builder(tables.train(), tables.validation(), tables.test(), output).training(training(Precision.FLOAT32))
                .fraction(0.1).box(BoxSpec.parse("0,1")).replicas(2).evalSeeds(2).seed(4)
                .descent(new DescentSettings(3, 0.05, StepSchedule.CONSTANT, 0.1, StepRule.SIGNED, 0));
    }

    @Test
    void metagradientThroughTheJobsConfigurationMatchesFiniteDifferences() {
        // features and soft labels of the chosen rows, float64, two replicas averaged: what a step of the job ascends
        PoisonParams p = params(dir.resolve("unused").toString()).training(training(Precision.FLOAT64))
                .knobs(new SmoothingKnobs(SmoothingKnobs.Optimizer.SGD, 1e-8, true, io.metagrad.core.model.ModelSpec.Activation.GELU, 0.8, 0))
                .optimize(true, true).build();
        Splits s = Splits.read(spark, p.train(), p.validation(), p.test(), p.training(), p.knobs(), 0);
        int[] rows = PoisonJob.chooseRows(s.train().size(), 4, p.seed());
        PoisonData data = new PoisonData(s.train(), s.validation(), s.test(), s.spec(), rows, true, true);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<PoisonData> shared = jsc.broadcast(data);
        PoisonObjective objective = new PoisonObjective(jsc, shared, 2, 3, new InputConstraint.Box(0, 1));
        double[] z = data.start().value();
        // move the soft labels off the simplex corners, where the objective is smooth in every direction
        for (int i = rows.length * 4; i < z.length; i++) {
            z[i] = 0.6 * z[i] + 0.4 / 3;
        }
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
        shared.destroy();
    }

    @Test
    void stoppedAndResumedRunEqualsUninterruptedRunBitwise() {
        String whole = dir.resolve("whole").toString();
        String pieces = dir.resolve("pieces").toString();
        PoisonJob.Result a = PoisonJob.run(spark, params(whole).build());
        assertTrue(a.finished());
        PoisonJob.Result first = PoisonJob.run(spark, params(pieces).descent(
                new DescentSettings(3, 0.05, StepSchedule.CONSTANT, 0.1, StepRule.SIGNED, 1)).build());
        assertFalse(first.finished());
        assertEquals(1, first.completedStep());
        assertFalse(Files.exists(Path.of(pieces, "poisoned")));
        PoisonJob.Result rest = PoisonJob.run(spark, params(pieces).build());
        assertTrue(rest.finished());
        assertEquals(metrics(whole), metrics(pieces));
        assertEquals(rows(a.poisonedPath()), rows(rest.poisonedPath()));
        assertEquals(Json.compact(a.report().get("poisoned")), Json.compact(rest.report().get("poisoned")));
        // the poison moved the rows' features, and only theirs
        List<Row> poisoned = rows(a.poisonedPath());
        List<Row> original = rows(tables.train());
        int changed = 0;
        for (int i = 0; i < poisoned.size(); i++) {
            boolean marked = "poisoned:mgd".equals(poisoned.get(i).getString(7));
            assertEquals(marked ? "poisoned:mgd" : "clean", poisoned.get(i).getString(7));
            if (!poisoned.get(i).getList(1).equals(original.get(i).getList(1))) {
                changed++;
                assertTrue(marked, "an unmarked row changed: " + poisoned.get(i));
            }
            for (Object v : poisoned.get(i).getList(1)) {
                float x = (Float) v;
                assertTrue(x >= 0 && x <= 1, "outside the box: " + x);
            }
        }
        assertEquals(4, poisoned.stream().filter(r -> "poisoned:mgd".equals(r.getString(7))).count());
        assertTrue(changed > 0);
        // the best iterate ascends the validation loss
        List<JsonObject> m = DescentDirectory.at(whole, spark.sparkContext().hadoopConfiguration()).readMetrics(3);
        assertTrue(m.get(m.get(3).get("best_step").getAsInt()).get("value").getAsDouble() >= m.get(0).get("value").getAsDouble());
    }

    @Test
    void aFinishedRunAskedForMoreStepsContinuesAsIfItHadRunThemAll() {
        String whole = dir.resolve("whole-extend").toString();
        String extended = dir.resolve("extended").toString();
        PoisonJob.run(spark, params(whole).build());
        assertTrue(PoisonJob.run(spark, params(extended).descent(
                new DescentSettings(2, 0.05, StepSchedule.CONSTANT, 0.1, StepRule.SIGNED, 0)).build()).finished());
        PoisonJob.run(spark, params(extended).build());
        assertEquals(metrics(whole), metrics(extended));
        assertEquals(rows(whole + "/poisoned"), rows(extended + "/poisoned"));
    }

    @Test
    void baselinesAreDeterministicAndChangeOnlyTheChosenRows() {
        for (PoisonMethod m : List.of(PoisonMethod.RANDOM_FLIP, PoisonMethod.ADVERSARIAL_FLIP, PoisonMethod.GRADIENT_ASCENT,
                PoisonMethod.GRADIENT_CANCELING)) {
            String one = dir.resolve(m.cliName() + "-1").toString();
            String two = dir.resolve(m.cliName() + "-2").toString();
            PoisonJob.Result a = PoisonJob.run(spark, params(one).method(m).gradCancel(0.5, 10, 20, 0.05).build());
            PoisonJob.Result b = PoisonJob.run(spark, params(two).method(m).gradCancel(0.5, 10, 20, 0.05).build());
            assertEquals(rows(a.poisonedPath()), rows(b.poisonedPath()), m.cliName());
            assertEquals(Json.compact(a.report().get("accuracy_drop")), Json.compact(b.report().get("accuracy_drop")), m.cliName());
            List<Row> poisoned = rows(a.poisonedPath());
            List<Row> original = rows(tables.train());
            int changed = 0;
            for (int i = 0; i < poisoned.size(); i++) {
                Row p = poisoned.get(i);
                Row o = original.get(i);
                boolean marked = ("poisoned:" + m.cliName()).equals(p.getString(7));
                boolean differs = !p.getList(1).equals(o.getList(1)) || p.getInt(2) != o.getInt(2);
                assertTrue(marked || !differs, m.cliName() + " changed an unmarked row " + p);
                changed += differs ? 1 : 0;
                if (marked && m.changesFeatures()) {
                    assertEquals(o.getInt(2), p.getInt(2), m.cliName() + " must keep the labels");
                } else if (marked) {
                    assertNotEquals(o.getInt(2), p.getInt(2), m.cliName() + " must flip every chosen label");
                    assertEquals(o.getList(1), p.getList(1), m.cliName() + " must keep the features");
                }
            }
            assertEquals(4, changed, m.cliName());
            assertTrue(Files.exists(Path.of(a.output().replace("file:", ""), "report.md")));
        }
    }

    @Test
    void theBoxAndTheBallBoundWhatGradientAscentDoes() {
        PoisonJob.Result boxed = PoisonJob.run(spark, params(dir.resolve("ga-box").toString()).method(PoisonMethod.GRADIENT_ASCENT)
                .box(BoxSpec.parse("0,1")).build());
        for (Row r : rows(boxed.poisonedPath())) {
            for (Object v : r.getList(1)) {
                assertTrue((Float) v >= 0 && (Float) v <= 1);
            }
        }
        PoisonJob.Result ball = PoisonJob.run(spark, params(dir.resolve("ga-ball").toString()).method(PoisonMethod.GRADIENT_ASCENT)
                .ball(0.3).build());
        List<Row> original = rows(tables.train());
        List<Row> poisoned = rows(ball.poisonedPath());
        for (int i = 0; i < poisoned.size(); i++) {
            double d2 = 0;
            for (int j = 0; j < 4; j++) {
                d2 += Math.pow((Float) poisoned.get(i).getList(1).get(j) - (Float) original.get(i).getList(1).get(j), 2);
            }
            boolean marked = poisoned.get(i).getString(7).startsWith("poisoned");
            assertTrue(Math.sqrt(d2) <= 0.3 + 1e-6, "outside the ball: " + Math.sqrt(d2));
            assertTrue(!marked || Math.sqrt(d2) > 0.29, "one full step reaches the sphere: " + Math.sqrt(d2));
        }
    }

    private static List<String> metrics(String run) {
        List<JsonObject> m = DescentDirectory.at(run, spark.sparkContext().hadoopConfiguration()).readMetrics(3);
        return m.stream().map(DescentLoop::withoutTimes).map(JsonObject::toString).toList();
    }

    private static List<Row> rows(String path) {
        return FeatureTables.dataset(spark, path).orderBy("uid").collectAsList();
    }
}
