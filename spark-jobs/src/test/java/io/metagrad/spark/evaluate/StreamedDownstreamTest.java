package io.metagrad.spark.evaluate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.ItemKeys;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.meta.Metaparameter;
import io.metagrad.core.mgd.ClassificationScores;
import io.metagrad.core.mgd.Evaluation;
import io.metagrad.core.mgd.MetagradientProblem;
import io.metagrad.core.mgd.Metagradients;
import io.metagrad.core.output.OutputFunction;
import io.metagrad.core.tensor.Precision;
import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.io.FeatureTables;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.schema.Table;
import io.metagrad.spark.stream.IndexedPool;
import io.metagrad.spark.train.FeatureRows;
import io.metagrad.spark.train.RunSpec;
import io.metagrad.spark.train.SmoothingKnobs;
import io.metagrad.spark.train.TrainingOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one "train on a selection and score it" path ({@link Downstream}) streams each selection from
 * its layout, counts as multiplicities; it must give bitwise the models of the in-memory library
 * trained on the same multiset (each copy an example of weight 1, keyed {@link ItemKeys#ofCopy}),
 * for fixed steps and for epochs, with several seeds, and for the all-data selection.
 */
class StreamedDownstreamTest {

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("streamed-downstream-test");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static String table(Path dir, String name, int n, long seed) {
        Random r = new Random(seed);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int label = r.nextInt(3);
            Float[] x = new Float[5];
            for (int j = 0; j < 5; j++) {
                x[j] = (float) ((j == label ? 1.2 : 0) + 0.8 * r.nextGaussian());
            }
            rows.add(RowFactory.create(String.format("%s-%03d", name, i), Arrays.asList(x), label, null, "test", "1", "{}", null));
        }
        String path = dir.resolve(name).toUri().toString();
        FeatureTables.write(spark.createDataFrame(rows, Table.FEATURES.schema()).repartition(3), path, false,
                TableManifest.of("test", Table.FEATURES));
        return path;
    }

    /** Counts 0…3 by row, from a seed: a selection with multiplicities. */
    private static int[] counts(int n, long seed) {
        Random r = new Random(seed);
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
            c[i] = r.nextInt(4);
        }
        return c;
    }

    @Test
    void streamedSelectionsTrainBitwiseLikeTheInMemoryMultiset(@TempDir Path dir) {
        String poolPath = table(dir, "pool", 47, 1);
        String testPath = table(dir, "test", 31, 2);
        FeatureRows poolRows = FeatureRows.of(FeatureTables.read(spark, poolPath), poolPath);
        FeatureRows test = FeatureRows.of(FeatureTables.read(spark, testPath), testPath);
        int[] counts = counts(poolRows.size(), 5);
        List<Row> countRows = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            countRows.add(RowFactory.create(i, counts[i]));
        }
        List<Integer> offsets = List.of(2, 3);
        for (int epochs : new int[] {0, 2}) {
            TrainingOptions training = new TrainingOptions(TrainingOptions.ModelKind.MLP, new int[] {6}, 8, 0.2,
                    TrainingOptions.ScheduleKind.COSINE, 2, 0.9, 1e-4, 8, 23, 4, Precision.FLOAT32, epochs);
            try (IndexedPool pool = IndexedPool.of(spark, poolPath)) {
                RunSpec spec = new RunSpec(training, SmoothingKnobs.defaults(), pool.width(), 3);
                Dataset<Row> byRow = spark.createDataFrame(countRows, new org.apache.spark.sql.types.StructType()
                        .add("c_row", "int").add("count", "int"));
                Dataset<Row> selected = pool.rows().join(byRow, pool.rows().col("row").equalTo(byRow.col("c_row")))
                        .drop("c_row");
                Dataset<Row> tiny = pool.rows().withColumn("count", when(col("row").lt(3), lit(2)).otherwise(lit(0)));
                long budget = 20;
                Downstream downstream = new Downstream(spark, pool, spec, true, test, null, offsets,
                        dir.resolve("work-" + epochs).toUri().toString());
                List<Downstream.Outcome> out = downstream.run(List.of(
                        new Downstream.Selection("all", Downstream.everyItemOnce(pool), pool.size(), true),
                        new Downstream.Selection("counted", selected, budget, false),
                        new Downstream.Selection("tiny", tiny, budget, false)));

                int[] ones = new int[counts.length];
                Arrays.fill(ones, 1);
                assertSameAsInMemory(spec, poolRows, ones, pool.size(), test, offsets, out.get(0));
                assertSameAsInMemory(spec, poolRows, counts, budget, test, offsets, out.get(1));
                assertEquals(Arrays.stream(counts).sum(), out.get(1).plan().copies(), "total weight is the sum of the counts");
                assertEquals(Arrays.stream(counts).filter(c -> c > 0).count(), out.get(1).plan().keptItems());
                assertEquals(spec.config(0, budget).steps(), out.get(1).plan().steps(), "the budget fixes the run's length");

                Downstream.Outcome small = out.get(2);
                assertNotNull(small.plan().tooSmall(), "6 examples cannot fill a batch of 8");
                small.trials().forEach(t -> assertNull(t.scores()));
            }
        }
    }

    private static void assertSameAsInMemory(RunSpec spec, FeatureRows pool, int[] counts, long budget, FeatureRows test,
            List<Integer> offsets, Downstream.Outcome streamed) {
        List<Integer> rows = new ArrayList<>();
        List<Long> keys = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            for (int c = 0; c < counts[i]; c++) {
                rows.add(i);
                keys.add(ItemKeys.ofCopy(ItemKeys.ofUid(pool.uid(i)), c));
            }
        }
        TrainingData multiset = spec.data(pool).subset(rows.stream().mapToInt(Integer::intValue).toArray())
                .withItemKeys(keys.stream().mapToLong(Long::longValue).toArray());
        double[] weights = new double[multiset.size()];
        Arrays.fill(weights, 1);
        TrainingData testData = spec.data(test);
        for (int s = 0; s < offsets.size(); s++) {
            TrainConfig config = spec.config(offsets.get(s), budget);
            List<double[]> params = Metagradients.train(new MetagradientProblem(config, multiset,
                    new Metaparameter.DataWeights(weights), OutputFunction.meanLoss(multiset)));
            Downstream.Trial t = streamed.trials().get(s);
            assertNull(t.diverged());
            assertEquals(Evaluation.meanLoss(config, params, testData), t.testLoss(), 0.0, "seed " + s + ": bitwise the same model");
            ClassificationScores scores = ClassificationScores.of(Evaluation.predictions(config, params, testData), test.labels());
            assertEquals(scores, t.scores());
        }
        assertTrue(streamed.trials().get(0).testLoss() != streamed.trials().get(1).testLoss(), "seeds differ");
    }
}
