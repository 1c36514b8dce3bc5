package io.metagrad.spark.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.core.tensor.Precision;
import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.demo.SyntheticSample;
import io.metagrad.spark.train.TrainingOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rows without labels: soft labels in {@code target}, or text embeddings for the CLIP head. */
class SelectObjectivesTest {

    private static SparkSession spark;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("select-objectives-test");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Rows with {@code target} vectors and no labels; soft = non-negative rows summing to 1. */
    private static String table(String name, int n, int seed, boolean soft, boolean dropOneTarget) {
        Random r = new Random(seed);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Float[] x = new Float[4];
            Float[] t = new Float[3];
            double total = 0;
            for (int j = 0; j < 4; j++) {
                x[j] = (float) r.nextGaussian();
            }
            for (int j = 0; j < 3; j++) {
                t[j] = soft ? (float) Math.exp(x[j]) : (float) (x[j] + 0.3 * r.nextGaussian());
                total += t[j];
            }
            if (soft) {
                for (int j = 0; j < 3; j++) {
                    t[j] = (float) (t[j] / total);
                }
            }
            rows.add(RowFactory.create(name + i, x, null, dropOneTarget && i == 3 ? null : t, null, null, null));
        }
        String path = dir.resolve(name).toString();
        spark.createDataFrame(rows, SyntheticSample.FEATURES).coalesce(1).write().parquet(path);
        return path;
    }

    private static TrainingOptions training(TrainingOptions.ModelKind model) {
        return new TrainingOptions(model, null, 4, 0.1, TrainingOptions.ScheduleKind.COSINE, 0, 0.9, 0, 8, 12, 0, Precision.FLOAT32);
    }

    @Test
    void softLabelsAreUsedWhenRowsHaveNoLabels() {
        String pool = table("soft-pool", 40, 1, true, false);
        String target = table("soft-target", 20, 2, true, false);
        SelectJob.Result r = SelectJob.run(spark, SelectParams.builder(pool, target, dir.resolve("soft-run").toString())
                .training(training(TrainingOptions.ModelKind.LOGISTIC)).mgdSteps(1).maskProbability(1).build());
        assertTrue(r.finished());
        assertTrue(r.metrics().get(1).changed() > 0);
        assertTrue(r.metrics().get(0).heldoutAccuracy() != null, "soft labels still classify");
    }

    @Test
    void clipHeadPairsFeaturesWithTargetEmbeddings() {
        String pool = table("clip-pool", 40, 3, false, false);
        String target = table("clip-target", 20, 4, false, false);
        SelectJob.Result r = SelectJob.run(spark, SelectParams.builder(pool, target, dir.resolve("clip-run").toString())
                .training(training(TrainingOptions.ModelKind.CLIP)).mgdSteps(1).maskProbability(1).build());
        assertTrue(r.finished());
        assertNull(r.metrics().get(0).heldoutAccuracy());
        assertTrue(r.metrics().get(1).changed() > 0);
    }

    /** CLIP rows with a class label (the largest of the first three features) and a text embedding near it. */
    private static String labelledPairs(String name, int n, int seed, boolean dropOneLabel) {
        Random r = new Random(seed);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Float[] x = new Float[4];
            Float[] t = new Float[3];
            int label = 0;
            for (int j = 0; j < 4; j++) {
                x[j] = (float) r.nextGaussian();
            }
            for (int j = 0; j < 3; j++) {
                label = x[j] > x[label] ? j : label;
                t[j] = (float) (x[j] + 0.3 * r.nextGaussian());
            }
            rows.add(RowFactory.create(name + i, x, dropOneLabel && i == 2 ? null : label, t, null, null, null));
        }
        String path = dir.resolve(name).toString();
        spark.createDataFrame(rows, SyntheticSample.FEATURES).coalesce(1).write().parquet(path);
        return path;
    }

    private static String prompts() {
        List<Row> rows = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            Float[] e = {0f, 0f, 0f};
            e[c] = 1f;
            rows.add(RowFactory.create(c, "class " + c, java.util.Arrays.asList(e)));
        }
        String path = dir.resolve("prompts").toString();
        spark.createDataFrame(rows, io.metagrad.spark.schema.Table.CLASS_PROMPTS.schema()).coalesce(1).write().parquet(path);
        io.metagrad.spark.io.TableManifest.of("test", io.metagrad.spark.schema.Table.CLASS_PROMPTS)
                .writeTo(path, spark.sparkContext().hadoopConfiguration());
        return path;
    }

    @Test
    void clipHeadWithPromptsDescendsTheZeroShotLoss() {
        String pool = labelledPairs("zs-pool", 40, 8, false);
        String target = labelledPairs("zs-target", 20, 9, false);
        String prompts = prompts();
        SelectParams.Builder clip = SelectParams.builder(pool, target, dir.resolve("zs-run").toString())
                .training(training(TrainingOptions.ModelKind.CLIP)).mgdSteps(1).maskProbability(1);
        SelectJob.Result zeroShot = SelectJob.run(spark, clip.prompts(prompts).build());
        assertTrue(zeroShot.finished());
        assertTrue(zeroShot.metrics().get(0).heldoutAccuracy() != null, "zero-shot classifies the held-out images");
        SelectJob.Result pairs = SelectJob.run(spark, SelectParams.builder(pool, target, dir.resolve("zs-pairs").toString())
                .training(training(TrainingOptions.ModelKind.CLIP)).mgdSteps(1).maskProbability(1).build());
        assertTrue(zeroShot.metrics().get(0).targetLoss() != pairs.metrics().get(0).targetLoss(),
                "another target loss: zero-shot, not the pairs' contrastive loss");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SelectParams.builder(pool, target, "x").training(training(TrainingOptions.ModelKind.LOGISTIC))
                        .prompts(prompts).build());
        assertTrue(e.getMessage().contains("--model CLIP"), e.getMessage());
        String unlabelled = labelledPairs("zs-unlabelled", 20, 10, true);
        e = assertThrows(IllegalArgumentException.class, () -> SelectJob.run(spark,
                SelectParams.builder(pool, unlabelled, dir.resolve("zs-bad").toString())
                        .training(training(TrainingOptions.ModelKind.CLIP)).prompts(prompts).mgdSteps(1).build()));
        assertTrue(e.getMessage().contains("zs-unlabelled") && e.getMessage().contains("'label'"), e.getMessage());
    }

    @Test
    void negativeTargetsAreNotSoftLabelsAndMissingTargetsAreNamed() {
        String pool = table("neg-pool", 20, 5, false, false);
        String target = table("neg-target", 10, 6, false, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SelectJob.run(spark,
                SelectParams.builder(pool, target, dir.resolve("neg-run").toString())
                        .training(training(TrainingOptions.ModelKind.LOGISTIC)).mgdSteps(1).build()));
        assertTrue(e.getMessage().contains("--model CLIP"), e.getMessage());

        String holey = table("holey-pool", 20, 7, false, true);
        e = assertThrows(IllegalArgumentException.class, () -> SelectJob.run(spark,
                SelectParams.builder(holey, target, dir.resolve("holey-run").toString())
                        .training(training(TrainingOptions.ModelKind.CLIP)).mgdSteps(1).build()));
        assertTrue(e.getMessage().contains("holey-pool") && e.getMessage().contains("row") && e.getMessage().contains("'target'"),
                e.getMessage());
        assertEquals(false, new java.io.File(dir.resolve("holey-run").toString()).exists(), "nothing written for bad input");
    }
}
