package io.metagrad.spark.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.meta.Metaparameter;
import io.metagrad.core.mgd.MetagradientProblem;
import io.metagrad.core.mgd.Metagradients;
import io.metagrad.core.output.OutputFunction;
import io.metagrad.core.replay.ReplayPlan;
import io.metagrad.core.tensor.Precision;
import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.demo.SyntheticSample;
import io.metagrad.spark.io.FeatureTables;
import io.metagrad.spark.train.FeatureRows;
import io.metagrad.spark.train.RunSpec;
import io.metagrad.spark.train.SmoothingKnobs;
import io.metagrad.spark.train.TrainingOptions;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code select} streams its training data from a layout and sums metagradients in Spark; the same
 * steps computed in memory — the whole pool as one {@link TrainingData}, core's
 * {@link Metagradients#compute}, the replicas summed in order on one machine, the update rules applied
 * in a loop — give bitwise the same counts and metagradients, for every REPLAY k, over more than one
 * epoch, for both update rules.
 */
class StreamedSelectTest {

    private static final int TRAIN_STEPS = 20; // 120 items, batch 16: 7 steps an epoch, so three epochs
    private static SparkSession spark;
    private static SyntheticSample.Paths sample;
    private static FeatureRows pool;
    private static FeatureRows target;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("streamed-select-test");
        sample = new SyntheticSample(3, 6, 120, 0.2, 0.1, 40, 20, 1.5, 23).write(spark, dir.resolve("sample").toString());
        pool = FeatureRows.of(FeatureTables.read(spark, sample.poolFeatures()), sample.poolFeatures());
        target = FeatureRows.of(FeatureTables.read(spark, sample.targetFeatures()), sample.targetFeatures());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static TrainingOptions training() {
        return new TrainingOptions(TrainingOptions.ModelKind.MLP, new int[] {5}, 8, 0.2, TrainingOptions.ScheduleKind.COSINE, 2,
                0.9, 0.01, 16, TRAIN_STEPS, 3, Precision.FLOAT32);
    }

    private static SelectParams.Builder params(String output, int k) {
        return SelectParams.builder(sample.poolFeatures(), sample.targetFeatures(), output).training(training())
                .knobs(new SmoothingKnobs(SmoothingKnobs.Optimizer.ADAM, 1e-8, false,
                        io.metagrad.core.model.ModelSpec.Activation.TANH, 0.8, 1.0))
                .replicas(2).replayK(k).seed(9).maskProbability(0.5);
    }

    @Test
    void signedStepsEqualTheInMemoryComputationBitwiseForEveryK() {
        for (int k : new int[] {2, 3, ReplayPlan.sqrtK(TRAIN_STEPS), TRAIN_STEPS}) {
            String out = dir.resolve("signed-k" + k).toString();
            int steps = k == 2 ? 2 : 1;
            assertTrue(SelectJob.run(spark, params(out, k).mgdSteps(steps).build()).finished());
            TargetSplit.Parts parts = TargetSplit.split(target, 0.5);
            Reference ref = new Reference(parts.target(), k);
            int[] counts = new int[pool.size()];
            Arrays.fill(counts, 1);
            for (int s = 1; s <= steps; s++) {
                double[] g = ref.metagradient(counts, false);
                int[] next = counts.clone();
                for (int i = 0; i < next.length; i++) {
                    if (MgdUpdate.drawn(9, s, i, 0.5)) {
                        next[i] = MgdUpdate.next(counts[i], g[i], 1);
                    }
                }
                assertStep(out, s, next, g, "k = " + k + ", step " + s);
                counts = next;
            }
        }
    }

    @Test
    void pruneStepsEqualTheInMemoryComputationBitwise() {
        int k = 4;
        String out = dir.resolve("prune").toString();
        assertTrue(SelectJob.run(spark, params(out, k).update(UpdateRule.PRUNE).pruneFraction(0.25).keepFraction(0.5).build())
                .finished());
        Reference ref = new Reference(target, k);
        int[] counts = new int[pool.size()];
        Arrays.fill(counts, 1);
        for (int s = 1; s <= 2; s++) {
            double[] g = ref.metagradient(counts, true);
            int[] kept = IntStream.range(0, counts.length).filter(i -> counts[i] > 0).toArray();
            double[] gg = g;
            Integer[] order = Arrays.stream(kept).boxed().toArray(Integer[]::new);
            // Spark's order: larger g first (−0.0 and 0.0 tie), then the lower row.
            Arrays.sort(order, Comparator.<Integer, Double>comparing(i -> gg[i], StreamedSelectTest::sparkCompare).reversed()
                    .thenComparingInt(i -> i));
            int[] next = counts.clone();
            for (int r = 0; r < 30; r++) {
                next[order[r]] = 0;
            }
            assertStep(out, s, next, g, "prune step " + s);
            System.arraycopy(next, 0, counts, 0, counts.length);
        }
    }

    private static int sparkCompare(double a, double b) {
        return a == b ? 0 : Double.compare(a, b);
    }

    /**
     * The metasmoothness check before the first step: each direction's value equals core's estimator
     * on the pool held in memory (weights {@code 1 + k·h·v}, replica 0's run) bit for bit; it is
     * recorded once, and a resumed run reads it back instead of estimating again.
     */
    @Test
    void smoothnessCheckEqualsTheInMemoryEstimatorBitwiseAndIsRecordedOnce() throws Exception {
        String out = dir.resolve("smooth").toString();
        SmoothnessCheck check = new SmoothnessCheck(2, 0.1, 1.0);
        SelectJob.run(spark, params(out, 0).mgdSteps(2).stopAfter(1).smoothness(check).build());
        java.nio.file.Path file = Path.of(out, SmoothnessStage.FILE);
        String recorded = java.nio.file.Files.readString(file);
        com.google.gson.JsonObject json = io.metagrad.spark.io.Json.parse(recorded).getAsJsonObject();

        int classes = Math.max(2, Math.max(pool.maxLabel(), target.maxLabel()) + 1);
        RunSpec spec = new RunSpec(training(), params("unused", 0).build().knobs(), pool.width(), classes);
        TrainingData data = spec.data(pool);
        TrainConfig config = spec.config(0, pool.size());
        double sum = 0;
        for (int r = 0; r < check.directions(); r++) {
            double[][] theta = new double[3][];
            for (int k = 0; k < 3; k++) {
                double[] weights = new double[pool.size()];
                for (int i = 0; i < weights.length; i++) {
                    weights[i] = SmoothnessStage.shiftedWeight(1, k * check.step(), 9, r, i);
                }
                theta[k] = io.metagrad.core.smooth.Metasmoothness.flatten(Metagradients.train(new MetagradientProblem(config,
                        data, new Metaparameter.DataWeights(weights), OutputFunction.meanLoss(data))));
            }
            double expected = io.metagrad.core.smooth.Metasmoothness.along(theta[0], theta[1], theta[2], check.step());
            double streamed = json.getAsJsonArray("per_direction").get(r).getAsDouble();
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(streamed),
                    "direction " + r + ": " + expected + " vs " + streamed);
            assertTrue(Math.abs(expected) <= 1 + 1e-12, "S in [-1, 1] up to rounding: " + expected);
            sum += expected;
        }
        double mean = json.get("mean").getAsDouble();
        assertEquals(sum / check.directions(), mean, 1e-15);
        assertEquals(mean < check.threshold(), json.get("below_threshold").getAsBoolean());

        SelectJob.run(spark, params(out, 0).mgdSteps(2).smoothness(check).build());
        assertEquals(recorded, java.nio.file.Files.readString(file), "a resumed run reads the estimate back");
    }

    /** The step table of {@code run} holds exactly these counts and metagradients (NaN = null), by row. */
    private static void assertStep(String run, int step, int[] counts, double[] g, String what) {
        List<Row> rows = spark.read().parquet(String.format("%s/steps/step=%05d", run, step)).orderBy("row").collectAsList();
        assertEquals(pool.size(), rows.size(), what);
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            assertEquals(pool.uid(i), r.getString(0), what + ": row " + i + " is the uid-order position");
            assertEquals(counts[i], r.getInt(1), what + ": count of row " + i);
            if (Double.isNaN(g[i])) {
                assertTrue(r.isNullAt(3), what + ": no metagradient for untrained row " + i);
            } else {
                assertEquals(Double.doubleToRawLongBits(g[i]), Double.doubleToRawLongBits(r.getDouble(3)),
                        what + ": metagradient of row " + i + " (" + g[i] + " vs " + r.getDouble(3) + ")");
            }
        }
    }

    /** The metagradients of one step computed in memory, as select computed them before it streamed. */
    private static final class Reference {
        private final RunSpec spec;
        private final TrainingData poolData;
        private final OutputFunction targetLoss;
        private final int k;

        Reference(FeatureRows targetPart, int k) {
            int classes = Math.max(2, Math.max(pool.maxLabel(), target.maxLabel()) + 1);
            this.spec = new RunSpec(training(), params("unused", k).build().knobs(), pool.width(), classes);
            this.poolData = spec.data(pool);
            this.targetLoss = OutputFunction.meanLoss(spec.data(targetPart));
            this.k = k;
        }

        /** Replica-mean metagradient by row; NaN for rows not trained on (kept-only runs). */
        double[] metagradient(int[] counts, boolean keptOnly) {
            int[] rows = IntStream.range(0, counts.length).filter(i -> !keptOnly || counts[i] > 0).toArray();
            TrainingData data = poolData.subset(rows);
            double[] weights = Arrays.stream(rows).mapToDouble(i -> counts[i]).toArray();
            double[] mean = new double[counts.length];
            if (keptOnly) {
                Arrays.fill(mean, Double.NaN);
                for (int i : rows) {
                    mean[i] = 0;
                }
            }
            for (int r = 0; r < 2; r++) {
                TrainConfig config = spec.config(r, rows.length);
                double[] g = Metagradients.compute(new MetagradientProblem(config, data, new Metaparameter.DataWeights(weights),
                        targetLoss), k).gradient();
                for (int j = 0; j < rows.length; j++) {
                    mean[rows[j]] += g[j];
                }
            }
            for (int i : rows) {
                mean[i] /= 2;
            }
            return mean;
        }
    }
}
