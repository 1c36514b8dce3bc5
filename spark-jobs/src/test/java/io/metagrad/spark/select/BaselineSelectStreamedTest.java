package io.metagrad.spark.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.core.selection.Budget;
import io.metagrad.core.tensor.Precision;
import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.attribute.AttributionSetup;
import io.metagrad.spark.attribute.SelectionScores;
import io.metagrad.spark.io.FeatureTables;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.schema.Table;
import io.metagrad.spark.train.FeatureRows;
import io.metagrad.spark.train.RunSpec;
import io.metagrad.spark.train.SmoothingKnobs;
import io.metagrad.spark.train.TrainingOptions;
import io.metagrad.core.model.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scoring baselines of {@code select --method}, scored in Spark partitions, give bitwise the
 * scores and the selection of the in-memory library ({@link BaselineSelection} on the collected
 * pool), for a classifier (MLP with Adam: grad-sim's preconditioning, more than one epoch) and the
 * CLIP head (in-batch chunks, a lone last item).
 */
class BaselineSelectStreamedTest {

    private static final Method[] SCORING = {Method.RANDOM, Method.LOSS, Method.CLIP_SCORE, Method.GRAD_SIM, Method.INFLUENCE};
    private static SparkSession spark;
    private static String train;
    private static String targets;
    private static String pairs;
    private static String pairTargets;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("baseline-select-streamed-test");
        train = labelled("train", 50, 1);
        targets = labelled("targets", 6, 2);
        pairs = paired("pairs", 33, 3); // 33 = 4·8 + 1
        pairTargets = paired("pair-targets", 7, 4);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** 50 items, batch 8: 14 steps make more than two epochs. */
    private static TrainingOptions mlp() {
        return new TrainingOptions(TrainingOptions.ModelKind.MLP, new int[] {5}, 8, 0.05, TrainingOptions.ScheduleKind.COSINE, 2,
                0.9, 0, 8, 14, 3, Precision.FLOAT32);
    }

    private static SmoothingKnobs adam() {
        return new SmoothingKnobs(SmoothingKnobs.Optimizer.ADAM, 1e-8, false, ModelSpec.Activation.TANH, 0.8, 1.0);
    }

    private static TrainingOptions clip() {
        return new TrainingOptions(TrainingOptions.ModelKind.CLIP, new int[] {5}, 3, 0.1, TrainingOptions.ScheduleKind.CONSTANT, 0,
                0.5, 0, 8, 8, 5, Precision.FLOAT32);
    }

    @Test
    void classifierBaselinesEqualTheInMemoryScoresAndSelectionBitwise() {
        for (Method m : SCORING) {
            assertEqualsInMemory(m, train, targets, mlp(), adam(), 0.3);
        }
    }

    @Test
    void clipHeadBaselinesEqualTheInMemoryScoresAndSelectionBitwise() {
        for (Method m : SCORING) {
            assertEqualsInMemory(m, pairs, pairTargets, clip(), SmoothingKnobs.defaults(), 0.4);
        }
    }

    private static void assertEqualsInMemory(Method method, String pool, String target, TrainingOptions training,
            SmoothingKnobs knobs, double fraction) {
        FeatureRows poolRows = FeatureRows.of(FeatureTables.read(spark, pool), pool);
        FeatureRows targetRows = FeatureRows.of(FeatureTables.read(spark, target), target);
        int classes = training.pairsFeaturesWithTargets() ? 0 : Math.max(poolRows.maxLabel(), targetRows.maxLabel()) + 1;
        RunSpec spec = RunSpec.of(training, knobs, poolRows, classes);
        double[] expected = BaselineSelection.scores(method, spec, poolRows, targetRows, 7);

        String out = dir.resolve("sel-" + method.cliName() + "-" + training.model()).toString();
        try (SelectionScores scoring = SelectionScores.read(spark, new AttributionSetup(pool, target, out, training, knobs, 0, 0, 1,
                0, false))) {
            Map<Integer, Double> scores = new HashMap<>();
            for (Row r : scoring.of(spark, method, 7, dir.resolve("scratch-" + method.cliName()).toString()).collectAsList()) {
                assertEquals(null, scores.put(r.getInt(0), r.getDouble(1)), "one score per row");
            }
            assertEquals(expected.length, scores.size(), method.cliName());
            for (int i = 0; i < expected.length; i++) {
                assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(scores.get(i)),
                        method.cliName() + " row " + i + ": " + expected[i] + " vs " + scores.get(i));
            }
        }

        SelectJob.Result r = BaselineSelectJob.run(spark, SelectParams.builder(pool, target, out).training(training).knobs(knobs)
                .keepFraction(fraction).seed(7).build(), method);
        Integer[] kept = Arrays.stream(Budget.ofFraction(fraction).keep(expected)).boxed().toArray(Integer[]::new);
        Arrays.sort(kept, Comparator.<Integer>comparingDouble(i -> -expected[i]).thenComparing(poolRows::uid));
        List<Row> selection = spark.read().parquet(r.selectionPath()).orderBy("rank").collectAsList();
        assertEquals(kept.length, selection.size(), method.cliName());
        assertEquals(kept.length, r.selected());
        for (int k = 0; k < kept.length; k++) {
            Row row = selection.get(k);
            assertEquals(poolRows.uid(kept[k]), row.getString(0), method.cliName() + " rank " + (k + 1));
            assertEquals(1, row.getInt(1));
            assertTrue(row.isNullAt(2));
            assertEquals(k + 1, row.getInt(3));
        }
        try (Stream<Path> entries = Files.list(Path.of(out))) {
            List<String> names = entries.map(p -> p.getFileName().toString()).filter(f -> !f.startsWith(".")).sorted().toList();
            assertEquals(List.of(TableManifest.FILE_NAME, "report.html", "selection"), names, "no scratch layout left behind");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertFalse(Files.exists(Path.of(out + "/_work")));
    }

    /** A 3-class problem with 4 features; uids in shuffled order so sorting matters. */
    private static String labelled(String name, int n, long seed) {
        Random r = new Random(seed);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int label = i % 3;
            Float[] x = new Float[4];
            for (int j = 0; j < 4; j++) {
                x[j] = (float) ((j == label ? 1.5 : 0) + r.nextGaussian());
            }
            rows.add(RowFactory.create(String.format("%s-%03d", name, (i * 7) % n), Arrays.asList(x), label, null, "test", "1", "{}", null));
        }
        return write(name, rows);
    }

    /** Image–text pairs: 4-d features, 3-d text embeddings close to a projection of them; no labels. */
    private static String paired(String name, int n, long seed) {
        Random r = new Random(seed);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Float[] x = new Float[4];
            Float[] t = new Float[3];
            for (int j = 0; j < 4; j++) {
                x[j] = (float) r.nextGaussian();
            }
            for (int j = 0; j < 3; j++) {
                t[j] = (float) (0.8 * x[j] + 0.5 * r.nextGaussian());
            }
            rows.add(RowFactory.create(String.format("%s-%03d", name, (i * 5) % n), Arrays.asList(x), null, Arrays.asList(t),
                    "test", "1", "{}", null));
        }
        return write(name, rows);
    }

    private static String write(String name, List<Row> rows) {
        String path = dir.resolve(name).toString();
        FeatureTables.write(spark.createDataFrame(rows, Table.FEATURES.schema()).repartition(3), path, false,
                TableManifest.of("test", Table.FEATURES));
        return path;
    }
}
