package io.metagrad.spark.attribute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.core.attribution.Attribution;
import io.metagrad.core.meta.Metaparameter;
import io.metagrad.core.mgd.MetagradientProblem;
import io.metagrad.core.mgd.MetagradientResult;
import io.metagrad.core.output.OutputFunction;
import io.metagrad.core.smooth.Metasmoothness;
import io.metagrad.core.tensor.Precision;
import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.io.FeatureTables;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.schema.Table;
import io.metagrad.spark.train.SmoothingKnobs;
import io.metagrad.spark.train.TrainingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** attribute, validate and smoothness as Spark jobs, checked against the library calls. */
class AttributionJobsTest {

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("attribution-jobs-test");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** A 3-class problem with 4 features; uids in shuffled order so sorting matters. */
    private static String table(Path dir, String name, int n, long seed) {
        Random r = new Random(seed);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int label = i % 3;
            Float[] x = new Float[4];
            for (int j = 0; j < 4; j++) {
                x[j] = (float) ((j == label ? 1.5 : 0) + r.nextGaussian());
            }
            rows.add(RowFactory.create(String.format("%s-%03d", name, (i * 7) % n), Arrays.asList(x), label, null,
                    "test", "1", "{}"));
        }
        String path = dir.resolve(name).toUri().toString();
        FeatureTables.write(spark.createDataFrame(rows, Table.FEATURES.schema()).repartition(3), path, false,
                TableManifest.of("test", Table.FEATURES));
        return path;
    }

    private static TrainingOptions training() {
        return new TrainingOptions(TrainingOptions.ModelKind.MLP, new int[] {6}, 8, 0.2, TrainingOptions.ScheduleKind.CONSTANT,
                0, 0.5, 0, 8, 24, 3, Precision.FLOAT64);
    }

    @Test
    void attributeWritesExactInfluenceForEveryPairAndTopLists(@TempDir Path dir) {
        String train = table(dir, "train", 40, 1);
        String targets = table(dir, "targets", 5, 2);
        String out = dir.resolve("attr").toUri().toString();
        AttributeParams params = new AttributeParams(
                new AttributionSetup(train, targets, out, training(), SmoothingKnobs.defaults(), 0, 0, 2, 0, false), 3);
        AttributeJob.Result result = AttributeJob.run(spark, params);

        assertEquals(200, spark.read().parquet(result.scoresPath()).count());
        assertEquals(5 * 2 * 3, spark.read().parquet(result.topPath()).count());
        AttributionInputs inputs = AttributionInputs.read(spark, train, targets, training(), SmoothingKnobs.defaults(), 0);
        MetagradientResult library = Attribution.exactInfluence(inputs.config(), inputs.trainData(),
                inputs.targetData(), io.metagrad.core.replay.ReplayPlan.sqrtK(24));
        String firstTarget = inputs.targets().uids()[0];
        List<Row> rows = spark.read().parquet(result.scoresPath())
                .where("target_uid = '" + firstTarget + "'").orderBy("train_uid").collectAsList();
        double[] fromTable = rows.stream().mapToDouble(r -> r.getDouble(2)).toArray();
        assertArrayEquals(library.gradients()[0], fromTable, 1e-12, "table scores equal the library call");
        assertArrayEquals(library.values(), result.targetLosses(), 1e-12);
        Row best = spark.read().parquet(result.topPath())
                .where("target_uid = '" + firstTarget + "' AND kind = 'helpful' AND rank = 1").first();
        int bestIndex = Attribution.topHelpful(library.gradients()[0], 1)[0];
        assertEquals(inputs.train().uids()[bestIndex], best.getString(3));

        IllegalArgumentException again = assertThrows(IllegalArgumentException.class, () -> AttributeJob.run(spark, params));
        assertTrue(again.getMessage().contains("--overwrite"), again.getMessage());
    }

    @Test
    void validateScoresExactInfluenceAboveTheBaselinesAndDrawsIt(@TempDir Path dir) throws java.io.IOException {
        String train = table(dir, "train", 40, 1);
        String targets = table(dir, "targets", 4, 2);
        String out = dir.resolve("lds").toUri().toString();
        ValidateJob.Result r = ValidateJob.run(spark, new ValidateParams(
                new AttributionSetup(train, targets, out, training(), SmoothingKnobs.defaults(), 0, 0, 2, 0, false),
                12, 0.05, 100, 7));
        assertEquals(3, r.scores().size());
        double exact = r.scores().get(0).lds();
        assertTrue(exact > 0.8, "exact influence LDS " + exact);
        assertTrue(exact > r.scores().get(1).lds(), "exact " + exact + " vs dot product " + r.scores().get(1).lds());
        for (String f : new String[] {"lds.json", "lds.md", "lds.png", "target0-scatter.png"}) {
            assertTrue(Files.size(dir.resolve("lds").resolve(f)) > 100, f);
        }
    }

    @Test
    void smoothnessOnSparkEqualsTheLibraryEstimate(@TempDir Path dir) {
        String train = table(dir, "train", 30, 4);
        SmoothnessJob.Result r = SmoothnessJob.run(spark, new SmoothnessParams(train, dir.resolve("s").toUri().toString(),
                training(), SmoothingKnobs.defaults(), 0, 3, 0.1, 9, false));
        AttributionInputs in = AttributionInputs.read(spark, train, null, training(), SmoothingKnobs.defaults(), 0);
        Metasmoothness.Estimate library = Metasmoothness.estimate(new MetagradientProblem(in.config(), in.trainData(),
                Metaparameter.DataWeights.ones(30), OutputFunction.meanLoss(in.trainData())), 3, 0.1, 9);
        assertArrayEquals(library.perDirection(), r.perDirection(), 0.0);
        assertTrue(Files.exists(dir.resolve("s").resolve("smoothness.json")));
    }

    @Test
    void missingTablesAndBadOptionsFailClearly(@TempDir Path dir) {
        String train = table(dir, "train", 20, 1);
        RuntimeException missing = assertThrows(RuntimeException.class, () -> AttributeJob.run(spark,
                new AttributeParams(new AttributionSetup(train, dir.resolve("nope").toUri().toString(),
                        dir.resolve("o").toUri().toString(), training(), SmoothingKnobs.defaults(), 0, 0, 2, 0, false), 3)));
        assertTrue(missing.getCause() instanceof java.io.FileNotFoundException, String.valueOf(missing.getCause()));
        assertTrue(missing.getCause().getMessage().contains("--targets: no table at") && missing.getMessage().contains("nope"),
                missing.getMessage());
        assertFalse(Files.exists(dir.resolve("o")), "nothing half-written");
        assertThrows(IllegalArgumentException.class, () -> new ValidateParams(
                new AttributionSetup(train, train, "x", training(), SmoothingKnobs.defaults(), 0, 0, 1, 0, false),
                2, 0.01, 100, 0));
    }
}
