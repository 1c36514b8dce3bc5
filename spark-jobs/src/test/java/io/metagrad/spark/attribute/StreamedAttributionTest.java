package io.metagrad.spark.attribute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.core.attribution.Attribution;
import io.metagrad.core.attribution.GradientBaselines;
import io.metagrad.core.attribution.LinearDatamodelingScore;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.meta.Metaparameter;
import io.metagrad.core.mgd.MetagradientProblem;
import io.metagrad.core.mgd.MetagradientResult;
import io.metagrad.core.mgd.Metagradients;
import io.metagrad.core.model.ModelSpec;
import io.metagrad.core.output.OutputFunction;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code attribute} and {@code validate} stream the pool from a layout, write metagradients as
 * Parquet parts and do every pool-sized sum in Spark; the same quantities computed in memory by the
 * library — {@link Attribution#exactInfluence} per block of targets, {@link GradientBaselines#compute},
 * {@link LinearDatamodelingScore} over the collected pool, keyed by uid — are bitwise the same: every
 * score, every top list, every LDS prediction and retrained output. Small pools, a few steps, more
 * than one epoch, items that no step reaches, labels and the CLIP head.
 */
class StreamedAttributionTest {

    private static final int PER_TASK = 2;
    private static final int REPLAY_K = 3;
    private static SparkSession spark;
    private static String train;
    private static String targets;
    private static String pairs;
    private static String pairTargets;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("streamed-attribution-test");
        train = labelled("train", 50, 1);
        targets = labelled("targets", 5, 2);
        pairs = paired("pairs", 33, 3); // 33 = 4·8 + 1: the CLIP head's last chunk of 8 takes a lone item
        pairTargets = paired("pair-targets", 3, 4);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /**
     * 50 items, batch 8: 6 steps an epoch, so 14 steps make three epochs (2 items an epoch left out);
     * 5 steps see 40 items, and 10 get no metagradient at all.
     */
    private static TrainingOptions training(int steps) {
        return new TrainingOptions(TrainingOptions.ModelKind.MLP, new int[] {5}, 8, 0.2, TrainingOptions.ScheduleKind.COSINE, 2,
                0.9, 0, 8, steps, 3, Precision.FLOAT32);
    }

    private static SmoothingKnobs knobs() {
        return new SmoothingKnobs(SmoothingKnobs.Optimizer.ADAM, 1e-8, false, ModelSpec.Activation.TANH, 0.8, 1.0);
    }

    private static TrainingOptions clipTraining() {
        return new TrainingOptions(TrainingOptions.ModelKind.CLIP, new int[] {5}, 3, 0.1, TrainingOptions.ScheduleKind.CONSTANT, 0,
                0.5, 0, 8, 8, 5, Precision.FLOAT32);
    }

    @Test
    void attributeScoresAndTopListsEqualTheInMemoryComputationBitwise() throws java.io.IOException {
        String out = dir.resolve("attr").toUri().toString();
        AttributeJob.Result r = AttributeJob.run(spark, new AttributeParams(
                new AttributionSetup(train, targets, out, training(5), knobs(), 0, 0, PER_TASK, REPLAY_K, false), 4));
        Reference ref = new Reference(train, targets, training(5), knobs());

        Map<String, Double> scores = new HashMap<>();
        for (Row row : spark.read().parquet(r.scoresPath()).collectAsList()) {
            scores.put(row.getString(0) + "|" + row.getString(1), row.getDouble(2));
        }
        assertEquals(5 * 50, scores.size());
        boolean untrained = false;
        for (int q = 0; q < 5; q++) {
            for (int i = 0; i < 50; i++) {
                double expected = ref.exact[q][i];
                untrained |= expected == 0 && Double.doubleToRawLongBits(expected) == 0;
                assertBits(expected, scores.get(ref.targetUids[q] + "|" + ref.trainUids[i]), "target " + q + ", item " + i);
            }
        }
        assertTrue(untrained, "some item is never trained on and has influence 0, as in memory");
        assertArrayEquals(ref.values, r.targetLosses(), 0.0);

        List<Row> top = spark.read().parquet(r.topPath()).collectAsList();
        assertEquals(5 * 2 * 4, top.size());
        for (Row row : top) {
            int q = Arrays.asList(ref.targetUids).indexOf(row.getString(0));
            int[] expected = row.getString(1).equals("helpful") ? Attribution.topHelpful(ref.exact[q], 4)
                    : Attribution.topHarmful(ref.exact[q], 4);
            int item = expected[row.getInt(2) - 1];
            assertEquals(ref.trainUids[item], row.getString(3), row.toString());
            assertBits(ref.exact[q][item], row.getDouble(4), row.toString());
        }
        assertOnly(dir.resolve("attr"), "scores", "top", "report.html", TableManifest.FILE_NAME);
    }

    @Test
    void validateLdsInputsEqualTheInMemoryComputationBitwise() throws java.io.IOException {
        String out = dir.resolve("lds").toUri().toString();
        ValidateJob.Result r = ValidateJob.run(spark, new ValidateParams(
                new AttributionSetup(train, targets, out, training(14), knobs(), 0, 0, PER_TASK, REPLAY_K, false), 4, 0.1, 20, 5));
        assertEqualsInMemory(r, new Reference(train, targets, training(14), knobs()), 4, 0.1, 20, 5);
        assertOnly(dir.resolve("lds"), "lds.json", "lds.md", "lds.png", "target0-scatter.png", "report.html",
                TableManifest.FILE_NAME);
    }

    @Test
    void clipHeadValidationEqualsTheInMemoryComputationBitwise() {
        String out = dir.resolve("clip-lds").toUri().toString();
        ValidateJob.Result r = ValidateJob.run(spark, new ValidateParams(new AttributionSetup(pairs, pairTargets, out,
                clipTraining(), SmoothingKnobs.defaults(), 0, 0, PER_TASK, 0, false), 3, 0.2, 20, 8));
        assertEqualsInMemory(r, new Reference(pairs, pairTargets, clipTraining(), SmoothingKnobs.defaults()), 3, 0.2, 20, 8);
    }

    /** The job's predictions, retrained outputs and LDS are the library's on the collected pool, bit for bit. */
    private static void assertEqualsInMemory(ValidateJob.Result r, Reference ref, int subsets, double alpha, int bootstrap,
            long seed) {
        int n = ref.trainUids.length;
        int[][] sets = LinearDatamodelingScore.removalSets(n, subsets, alpha, seed);
        double[][] actual = new double[ref.values.length][subsets];
        for (int s = 0; s < subsets; s++) {
            double[] outputs = Metagradients.evaluate(new MetagradientProblem(ref.config, ref.trainData,
                    new Metaparameter.DataWeights(LinearDatamodelingScore.weightsWithout(n, sets[s])),
                    OutputFunction.perExampleLosses(ref.targetData)));
            for (int q = 0; q < actual.length; q++) {
                actual[q][s] = outputs[q];
            }
        }
        GradientBaselines.Scores baselines = GradientBaselines.compute(ref.config, ref.trainData, ref.targetData);
        Map<String, double[][]> scores = new LinkedHashMap<>();
        scores.put("exact influence (metagradient)", ref.exact);
        scores.put("gradient dot product (final model)", baselines.dotProduct());
        scores.put("gradient cosine (final model)", baselines.cosine());
        assertArrayEquals(ref.values, r.targetLosses(), 0.0);
        assertMatrixBits(actual, r.actual(), "retrained outputs");
        assertEquals(List.copyOf(scores.keySet()), r.scores().stream().map(ValidateJob.MethodScore::method).toList());
        int m = 0;
        for (Map.Entry<String, double[][]> e : scores.entrySet()) {
            double[][] predicted = LinearDatamodelingScore.predictions(ref.values, e.getValue(), sets);
            assertMatrixBits(predicted, r.predicted().get(e.getKey()), e.getKey() + " predictions");
            LinearDatamodelingScore.Result lds = LinearDatamodelingScore.score(predicted, actual, bootstrap, seed);
            assertBits(lds.mean(), r.scores().get(m).lds(), e.getKey() + " LDS");
            assertBits(lds.low(), r.scores().get(m).low(), e.getKey() + " LDS interval");
            m++;
        }
    }

    /** What the jobs computed before they streamed: the library on the collected tables, targets in blocks. */
    private static final class Reference {
        final TrainConfig config;
        final TrainingData trainData;
        final TrainingData targetData;
        final String[] trainUids;
        final String[] targetUids;
        final double[] values;
        final double[][] exact;

        Reference(String train, String targets, TrainingOptions training, SmoothingKnobs knobs) {
            AttributionInputs in = AttributionInputs.read(spark, train, targets, training, knobs, 0);
            config = in.config();
            trainData = in.trainData();
            targetData = in.targetData();
            trainUids = in.train().uids();
            targetUids = in.targets().uids();
            int q = targetUids.length;
            values = new double[q];
            exact = new double[q][];
            int k = REPLAY_K;
            for (int from = 0; from < q; from += PER_TASK) {
                int[] block = IntStream.range(from, Math.min(q, from + PER_TASK)).toArray();
                MetagradientResult r = Attribution.exactInfluence(config, trainData, targetData.subset(block), k);
                for (int b = 0; b < block.length; b++) {
                    values[block[b]] = r.values()[b];
                    exact[block[b]] = r.gradients()[b];
                }
            }
        }
    }

    private static void assertBits(double expected, double actual, String what) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual), what + ": " + expected + " vs " + actual);
    }

    private static void assertMatrixBits(double[][] expected, double[][] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                assertBits(expected[i][j], actual[i][j], what + " [" + i + "][" + j + "]");
            }
        }
    }

    /** The committed output holds these entries and nothing else (no scratch left behind). */
    private static void assertOnly(Path output, String... names) throws java.io.IOException {
        try (Stream<Path> entries = Files.list(output)) {
            List<String> found = entries.map(p -> p.getFileName().toString()).filter(f -> !f.startsWith(".")).sorted().toList();
            assertEquals(Arrays.stream(names).sorted().toList(), found);
        }
        try (Stream<Path> all = Files.walk(output.getParent(), 1)) {
            assertFalse(all.anyMatch(p -> p.getFileName().toString().contains(".staging-")), "no staging directory left");
        }
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
        String path = dir.resolve(name).toUri().toString();
        FeatureTables.write(spark.createDataFrame(rows, Table.FEATURES.schema()).repartition(3), path, false,
                TableManifest.of("test", Table.FEATURES));
        return path;
    }
}
