package io.metagrad.spark.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.metagrad.core.mgd.ClassificationScores;
import io.metagrad.core.model.ModelSpec;
import io.metagrad.core.selection.Budget;
import io.metagrad.core.tensor.Precision;
import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.io.FeatureTables;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.schema.Table;
import io.metagrad.spark.select.Method;
import io.metagrad.spark.train.RunSpec;
import io.metagrad.spark.train.SmoothingKnobs;
import io.metagrad.spark.train.TrainingOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluate} compares methods fairly (issue 12): downstream seeds disjoint from every seed a
 * method trained with; every method's inner training is the downstream routine (MGD's replicas
 * included, with the same knobs and class count); one budget rule for every method; the same
 * training steps and batch for every selection at a budget, counts as multiplicities with the total
 * weight reported and an "each selected item once" row for MGD; clip-score not offered without a
 * pair score; diverged and chance-level downstream runs flagged and left out of the means.
 */
class EvaluateFairnessTest {

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("evaluate-fairness-test");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Three separable classes; in a noisy table every fourth label is wrong. */
    private static String table(Path dir, String name, int n, long seed, boolean noisy) {
        Random r = new Random(seed);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int label = i % 3;
            Float[] x = new Float[4];
            for (int j = 0; j < 4; j++) {
                x[j] = (float) ((j == label ? 1.5 : 0) + 0.7 * r.nextGaussian());
            }
            int given = noisy && i % 4 == 0 ? (label + 1) % 3 : label;
            rows.add(RowFactory.create(name + "-" + i, Arrays.asList(x), given, null, "test", "1", "{}", null));
        }
        String path = dir.resolve(name).toUri().toString();
        FeatureTables.write(spark.createDataFrame(rows, Table.FEATURES.schema()).coalesce(1), path, false,
                TableManifest.of("test", Table.FEATURES));
        return path;
    }

    private static JsonObject json(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }

    @Test
    void everyMethodGetsTheSameRoutineBudgetAndWeightAndNoDownstreamSeedIsAMethodSeed(@TempDir Path dir) throws IOException {
        // 61 items at 30 %: round gives 18, ceil would give 19 — every method must keep the same 18.
        String pool = table(dir, "pool", 61, 1, true);
        String target = table(dir, "target", 24, 2, false);
        String test = table(dir, "test", 45, 3, false);
        TrainingOptions training = new TrainingOptions(TrainingOptions.ModelKind.MLP, new int[] {6}, 8, 0.05,
                TrainingOptions.ScheduleKind.CONSTANT, 0, 0.9, 0, 6, 24, 5, Precision.FLOAT32);
        SmoothingKnobs knobs = new SmoothingKnobs(SmoothingKnobs.Optimizer.ADAM, 1e-8, true, ModelSpec.Activation.GELU, 2.0, 1.0);
        int replicas = 2;
        Path output = dir.resolve("eval");
        EvaluateParams params = new EvaluateParams(pool, target, test, null, output.toUri().toString(),
                List.of(Method.RANDOM, Method.LOSS, Method.MGD, Method.MGD_PRUNE), new double[] {0.3}, 2, training, knobs, 0,
                new MgdSettings(2, replicas, 1, 0.5, 0.3, false), 7, false, null);
        EvaluateJob.Result r = EvaluateJob.run(spark, params);
        JsonObject report = json(output.resolve("evaluate.json"));
        JsonObject protocol = report.getAsJsonObject("protocol");

        // Seeds: the downstream training seeds are none of the seeds MGD's replicas actually trained with
        // (read back from its run), nor the reference models' (offset 0).
        Set<Long> downstream = new HashSet<>();
        protocol.getAsJsonArray("downstream_training_seeds").forEach(e -> downstream.add(e.getAsLong()));
        assertEquals(2, downstream.size());
        for (String mgd : new String[] {"mgd", "mgd-prune"}) {
            JsonObject state = json(output.resolve("runs").resolve(mgd + "-0.30").resolve("state.json"));
            List<Long> used = new ArrayList<>();
            state.getAsJsonArray("replica_seeds").forEach(e -> used.add(e.getAsLong()));
            assertEquals(replicas, used.size());
            for (long s : used) {
                assertFalse(downstream.contains(s), mgd + " replica seed " + s + " is also a downstream seed");
            }
        }
        assertFalse(downstream.contains(training.seed()), "the baselines' reference model seed");
        Set<Integer> overlap = new HashSet<>(r.seeds().methods());
        overlap.retainAll(r.seeds().downstream());
        assertTrue(overlap.isEmpty(), "method and downstream seed offsets overlap: " + overlap);
        for (int reps = 1; reps <= 6; reps++) {
            EvaluationSeeds s = EvaluationSeeds.of(reps, 5);
            assertTrue(s.methods().containsAll(java.util.stream.IntStream.range(0, reps).boxed().toList()));
            assertTrue(s.downstream().stream().noneMatch(s.methods()::contains), "by construction, " + reps + " replicas");
        }

        // One routine: MGD's replicas trained with evaluate's options, knobs and class count.
        JsonObject evaluated = report.getAsJsonObject("params");
        for (String mgd : new String[] {"mgd", "mgd-prune"}) {
            JsonObject run = json(output.resolve("runs").resolve(mgd + "-0.30").resolve(TableManifest.FILE_NAME));
            JsonObject selectParams = run.getAsJsonObject("params");
            assertEquals(evaluated.get("knobs"), selectParams.get("knobs"), mgd + " trains with evaluate's knobs");
            assertEquals(evaluated.get("training"), selectParams.get("training"), mgd + " trains with evaluate's options");
            assertEquals(3, run.get("output_dim").getAsInt(), mgd + " uses the class count evaluate inferred");
        }
        RunSpec spec = new RunSpec(training, knobs, 4, 3);
        assertEquals(JsonParser.parseString(io.metagrad.spark.io.Json.pretty(spec.describe())), protocol.get("routine"));

        // One budget rule, one length and one batch per budget; counts as multiplicities with their total weight.
        long items = Budget.ofPool(0.3, 61);
        assertEquals(18, items);
        assertEquals(18, Budget.ofFraction(0.3).size(61));
        int steps = spec.config(0, items).steps();
        int batch = spec.config(0, items).batchSize();
        List<String> names = r.rows().stream().map(EvaluateJob.Row::method).toList();
        assertEquals(List.of("all-data", "random", "loss", "mgd", "mgd" + EvaluateJob.EACH_ONCE, "mgd-prune"), names);
        for (EvaluateJob.Row row : r.rows().subList(1, r.rows().size())) {
            assertEquals(items, row.kept(), row.method() + " keeps the budget");
            assertEquals(steps, row.trainSteps(), row.method() + " trains the budget's steps");
            assertEquals(batch, row.batchSize(), row.method());
            String run = row.method().endsWith(EvaluateJob.EACH_ONCE)
                    ? row.method().substring(0, row.method().length() - EvaluateJob.EACH_ONCE.length()) : row.method();
            long sum = spark.read().parquet(output.resolve("runs").resolve(run + "-0.30").resolve("selection").toString())
                    .agg(org.apache.spark.sql.functions.sum("count")).first().getLong(0);
            assertEquals(row.method().endsWith(EvaluateJob.EACH_ONCE) ? items : sum, row.totalWeight(),
                    row.method() + "'s total weight is the sum of its counts");
        }
        EvaluateJob.Row all = r.rows().get(0);
        assertEquals(61, all.totalWeight());
        assertEquals(spec.config(0, 61).steps(), all.trainSteps());
        String md = Files.readString(output.resolve("evaluate.md"));
        assertTrue(md.contains("total weight") && md.contains("mgd" + EvaluateJob.EACH_ONCE), md);
    }

    @Test
    void clipScoreIsNotABaselineWithoutAPairScore() {
        TrainingOptions logistic = TrainingOptions.defaults();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new EvaluateParams("p", "t", "x", null,
                "o", List.of(Method.LOSS, Method.CLIP_SCORE), new double[] {0.5}, 2, logistic, SmoothingKnobs.defaults(), 0,
                MgdSettings.defaults(), 0, false, null));
        assertTrue(e.getMessage().contains("loss"), e.getMessage());
        assertFalse(EvaluateParams.defaultMethods(false).contains(Method.CLIP_SCORE));
        assertTrue(EvaluateParams.defaultMethods(true).contains(Method.CLIP_SCORE));
    }

    @Test
    void divergedAndChanceLevelSeedsAreFlaggedAndNeverAveragedIn() {
        Chance chance = Chance.of(new int[] {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2}); // 1/3 ± max(0.02, 1/√12)
        ClassificationScores good = new ClassificationScores(0.9, 0.9);
        ClassificationScores fair = new ClassificationScores(0.7, 0.7);
        ClassificationScores guessing = new ClassificationScores(0.5, 0.35);
        Downstream.Plan plan = new Downstream.Plan(10, 10, 5, 2, null);
        List<EvaluateJob.Selected> selections = List.of(new EvaluateJob.Selected("all-data", 1, null, 0),
                new EvaluateJob.Selected("a", 0.5, null, 0), new EvaluateJob.Selected("b", 0.5, null, 0));
        List<Downstream.Outcome> outcomes = List.of(
                new Downstream.Outcome(plan, List.of(new Downstream.Trial(0, good, 0.1, null), new Downstream.Trial(1, fair, 0.2, null))),
                new Downstream.Outcome(plan, List.of(new Downstream.Trial(0, null, Double.NaN, "diverged at step 3"),
                        new Downstream.Trial(1, fair, 0.2, null))),
                new Downstream.Outcome(plan, List.of(new Downstream.Trial(0, guessing, 0.9, null),
                        new Downstream.Trial(1, good, 0.1, null))));
        List<EvaluateJob.Row> rows = EvaluateJob.summarize(selections, outcomes, chance);
        assertEquals(0.8, rows.get(0).mean(), 1e-12);
        EvaluateJob.Row a = rows.get(1);
        assertEquals(1, a.divergedSeeds());
        assertEquals(1, a.perSeed().length);
        assertEquals(0.7, a.mean(), 0.0, "the diverged seed is not averaged in");
        EvaluateJob.Row b = rows.get(2);
        assertEquals(1, b.chanceSeeds());
        assertTrue(b.atChance());
        assertEquals(0.9, b.mean(), 0.0, "the chance-level seed is not averaged in");
        String md = EvaluateJob.markdown(new EvaluateJob.Result("o", rows, EvaluationSeeds.of(1, 2)));
        assertTrue(md.contains("diverged in 1 of 2 seeds") && md.contains("at chance in 1 of 2 seeds"), md);
    }
}
