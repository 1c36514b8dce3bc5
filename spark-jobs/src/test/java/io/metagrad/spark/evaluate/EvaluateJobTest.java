package io.metagrad.spark.evaluate;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.core.tensor.Precision;
import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.io.FeatureTables;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.schema.Table;
import io.metagrad.spark.select.Method;
import io.metagrad.spark.stream.IndexedPool;
import io.metagrad.spark.train.SmoothingKnobs;
import io.metagrad.spark.train.TrainingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small smoke version of the evaluation on a noisy synthetic pool. */
class EvaluateJobTest {

    private static SparkSession spark;

    /** Logistic regression, 30 steps of 10: every downstream training of these tests. */
    private static final TrainingOptions SMALL_LOGISTIC = new TrainingOptions(TrainingOptions.ModelKind.LOGISTIC, new int[] {8}, 8,
            0.3, TrainingOptions.ScheduleKind.CONSTANT, 0, 0.5, 0, 10, 30, 0, Precision.FLOAT32);

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("evaluate-test");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /**
     * Three separable classes; in a noisy table every fourth label is wrong (so every class keeps examples), and
     * {@code source} says which: {@code clean} or {@code flipped}.
     */
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
            String source = noisy ? (given == label ? "clean" : "flipped") : null;
            rows.add(RowFactory.create(name + "-" + i, Arrays.asList(x), given, null, "test", "1", "{}", source));
        }
        String path = dir.resolve(name).toUri().toString();
        FeatureTables.write(spark.createDataFrame(rows, Table.FEATURES.schema()).coalesce(1), path, false,
                TableManifest.of("test", Table.FEATURES));
        return path;
    }

    @Test
    void comparesMethodsWithSeedsAndWritesTheReport(@TempDir Path dir) {
        String pool = table(dir, "pool", 60, 1, true);
        String target = table(dir, "target", 24, 2, false);
        String test = table(dir, "test", 60, 3, false);
        TrainingOptions training = SMALL_LOGISTIC;
        EvaluateParams params = new EvaluateParams(pool, target, test, null, dir.resolve("eval").toUri().toString(),
                List.of(Method.RANDOM, Method.LOSS, Method.INFLUENCE, Method.MGD, Method.MGD_PRUNE), new double[] {0.5}, 2,
                training, SmoothingKnobs.defaults(), 0, new MgdSettings(2, 1, 1, 0.5, 0.2, true), 7, false, null);
        EvaluateJob.Result r = EvaluateJob.run(spark, params);

        assertEquals(7, r.rows().size(), "all data, five methods, and signed MGD's items once each");
        assertEquals("all-data", r.rows().get(0).method());
        assertEquals(0.0, r.rows().get(0).gain(), 0.0);
        for (EvaluateJob.Row row : r.rows().subList(1, 7)) {
            assertEquals(30, row.kept(), row.method() + " keeps exactly the budget");
            assertEquals(2, row.perSeed().length);
            assertTrue(row.mean() > 0.3 && row.mean() <= 1.0, row.method() + " accuracy " + row.mean());
            assertTrue(row.balancedMean() > 0.3 && row.balancedMean() <= 1.0, row.method() + " balanced " + row.balancedMean());
            assertEquals(2, row.balancedPerSeed().length);
        }
        for (String f : new String[] {"evaluate.json", "evaluate.md", "evaluate.png", "evaluate-balanced.png"}) {
            assertTrue(Files.exists(dir.resolve("eval").resolve(f)), f);
        }
        for (String m : new String[] {"random", "loss", "influence", "mgd", "mgd-prune"}) {
            assertEquals(30, spark.read().parquet(dir.resolve("eval").resolve("runs").resolve(m + "-0.50").resolve("selection")
                    .toString()).count(), m + "'s selection is kept beside the report");
        }
        EvaluateJob.Result again = EvaluateJob.run(spark, new EvaluateParams(pool, target, test, null,
                dir.resolve("eval2").toUri().toString(), params.methods(), params.budgets(), 2, training,
                SmoothingKnobs.defaults(), 0, new MgdSettings(2, 1, 1, 0.5, 0.2, true), 7, false, null));
        for (int i = 0; i < r.rows().size(); i++) {
            assertEquals(r.rows().get(i).mean(), again.rows().get(i).mean(), 0.0, "deterministic: " + r.rows().get(i).method());
        }
    }

    @Test
    void theOracleKeepsTheItemsKnownToBeGoodFirstInASeededOrder(@TempDir Path dir) {
        String pool = table(dir, "pool", 60, 1, true); // 45 clean, 15 flipped
        try (IndexedPool indexed = IndexedPool.of(spark, pool);
                OracleSelection oracle = OracleSelection.rank(spark, pool, List.of("clean"), 7);
                OracleSelection again = OracleSelection.rank(spark, pool, List.of("clean"), 7);
                OracleSelection reseeded = OracleSelection.rank(spark, pool, List.of("clean"), 8)) {
            assertEquals(45, oracle.known());
            Set<String> half = uids(oracle.counts(indexed, 30));
            assertEquals(30, half.size());
            assertTrue(half.stream().noneMatch(EvaluateJobTest::flipped), "fewer items than known-good ones: only clean items");
            assertEquals(half, uids(again.counts(indexed, 30)), "deterministic given the seed");
            assertNotEquals(half, uids(reseeded.counts(indexed, 30)), "the seed orders the known items");
            Set<String> most = uids(oracle.counts(indexed, 54));
            assertEquals(54, most.size());
            assertEquals(45, most.stream().filter(u -> !flipped(u)).count(), "every clean item, then others");
            assertEquals(0, oracle.counts(indexed, 30).where(col("count").notEqual(1)).count(), "each kept once");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OracleSelection.rank(spark, pool, List.of("gold"), 7));
        assertTrue(e.getMessage().contains("field 'source'") && e.getMessage().contains("'clean'")
                && e.getMessage().contains(pool), e.getMessage());
    }

    @Test
    void anOracleRowPerBudgetAndEveryGainAsAShareOfItsGain(@TempDir Path dir) {
        String pool = table(dir, "pool", 60, 1, true);
        String target = table(dir, "target", 24, 2, false);
        String test = table(dir, "test", 60, 3, false);
        TrainingOptions training = SMALL_LOGISTIC;
        EvaluateJob.Result r = EvaluateJob.run(spark, new EvaluateParams(pool, target, test, null,
                dir.resolve("eval").toUri().toString(), List.of(Method.RANDOM), new double[] {0.5, 0.9}, 2, training,
                SmoothingKnobs.defaults(), 0, MgdSettings.defaults(), 7, false, null, false, List.of("clean")));
        assertEquals(List.of("all-data", "random", "oracle", "random", "oracle"), r.rows().stream().map(EvaluateJob.Row::method)
                .toList());
        assertEquals(30, r.row("oracle", 0.5).kept());
        assertEquals(54, r.row("oracle", 0.9).kept());
        String md = EvaluateJob.markdown(r);
        assertTrue(md.contains("share of the oracle's") && md.contains("| method | 50% | 90% |"), md);
        assertThrows(IllegalArgumentException.class, () -> new EvaluateParams(pool, target, test, null, "o", List.of(Method.RANDOM),
                new double[] {0.5}, 2, training, SmoothingKnobs.defaults(), 0, MgdSettings.defaults(), 7, false, null, false,
                List.of("clean", " ")), "a blank source");
    }

    private static Set<String> uids(Dataset<Row> counts) {
        return counts.select(col("uid")).collectAsList().stream().map(row -> row.getString(0)).collect(Collectors.toSet());
    }

    /** Whether {@link #table} gave row {@code uid} of a noisy table a flipped label: every fourth. */
    private static boolean flipped(String uid) {
        return Integer.parseInt(uid.substring(uid.indexOf('-') + 1)) % 4 == 0;
    }

    @Test
    void unknownMethodsAndBadBudgetsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Method.parse("magic"));
        assertTrue(e.getMessage().contains("grad-sim"));
        assertThrows(IllegalArgumentException.class, () -> new EvaluateParams("p", "t", "x", null, "o", List.of(Method.RANDOM),
                new double[] {1.5}, 5, TrainingOptions.defaults(), SmoothingKnobs.defaults(), 0, MgdSettings.defaults(), 0, false, null));
        assertThrows(IllegalArgumentException.class, () -> new MgdSettings(1, 1, 1, 0.5, 1.5, true));
    }
}
