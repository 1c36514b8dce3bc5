package io.metagrad.spark.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.core.tensor.Precision;
import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.demo.SyntheticSample;
import io.metagrad.spark.select.SelectJob;
import io.metagrad.spark.select.SelectParams;
import io.metagrad.spark.train.TrainingOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MgdSelector in a Spark ML pipeline selects exactly what {@code SelectJob} (the {@code select} command) selects. */
class MgdSelectorPipelineTest {

    private static final String[] CLASSES = {"dog", "cat", "bird"}; // drawn 3:2:1, so not alphabetical by frequency
    private static final int FEATURES = 4;
    private static SparkSession spark;
    private static Dataset<Row> data;
    private static List<Row> raw;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("mgd-selector-pipeline-test");
        raw = rows(120, 60, new Random(3));
        StructType schema = new StructType().add("id", DataTypes.StringType, false).add("species", DataTypes.StringType, false)
                .add("is_target", DataTypes.BooleanType, false);
        for (int j = 0; j < FEATURES; j++) {
            schema = schema.add("x" + j, DataTypes.DoubleType, false);
        }
        data = spark.createDataFrame(raw, schema).repartition(3);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Pool rows (20% with a wrong species) and clean target rows: class means apart, Gaussian noise. */
    private static List<Row> rows(int pool, int target, Random random) {
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < pool + target; i++) {
            int c = i % 6 < 3 ? 0 : i % 6 < 5 ? 1 : 2;
            Object[] v = new Object[3 + FEATURES];
            boolean isTarget = i >= pool;
            int shown = !isTarget && random.nextDouble() < 0.2 ? (c + 1 + random.nextInt(2)) % 3 : c;
            v[0] = (isTarget ? "t" : "p") + String.format("%04d", i);
            v[1] = CLASSES[shown];
            v[2] = isTarget;
            for (int j = 0; j < FEATURES; j++) {
                v[3 + j] = (j == c ? 1.5 : 0.0) + random.nextGaussian();
            }
            out.add(RowFactory.create(v));
        }
        return out;
    }

    private static MgdSelector selector() {
        return new MgdSelector().setUidCol("id").setTargetCol("is_target").setWorkDir(dir.resolve("work").toString())
                .setLr(0.2).setMomentum(0.9).setBatchSize(16).setTrainSteps(24).setTrainSeed(3)
                .setMgdSteps(3).setMaskProbability(0.5).setReplicas(2).setSeed(5).setKeepFraction(0.5);
    }

    /** The same run through the command's parameters, on tables written here by hand. */
    private static SelectParams reference(String pool, String target, String output) {
        TrainingOptions training = new TrainingOptions(TrainingOptions.ModelKind.LOGISTIC, null, 64, 0.2,
                TrainingOptions.ScheduleKind.COSINE, 0, 0.9, 0, 16, 24, 3, Precision.FLOAT32);
        return SelectParams.builder(pool, target, output).training(training).mgdSteps(3).maskProbability(0.5)
                .replicas(2).seed(5).keepFraction(0.5).build();
    }

    @Test
    void pipelineFitSaveLoadTransformEqualsSelectJob() throws Exception {
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
            new VectorAssembler().setInputCols(new String[] {"x0", "x1", "x2", "x3"}).setOutputCol("features"),
            new StringIndexer().setInputCol("species").setOutputCol("label"),
            selector()});
        PipelineModel fitted = pipeline.fit(data);
        MgdSelectionModel model = (MgdSelectionModel) fitted.stages()[2];

        // The command on the same data, written as features tables by hand (StringIndexer's order: frequency, then name).
        Map<String, Integer> index = labelIndex();
        writeFeatures(dir.resolve("ref-pool").toString(), false, index);
        writeFeatures(dir.resolve("ref-target").toString(), true, index);
        SelectJob.Result ref = SelectJob.run(spark, reference(dir.resolve("ref-pool").toString(),
                dir.resolve("ref-target").toString(), dir.resolve("ref-run").toString()));
        List<String> expected = exact(spark.read().parquet(ref.selectionPath()));
        assertEquals(60, expected.size(), "keepFraction 0.5 of 120 pool rows");
        assertEquals(expected, exact(model.selection()));
        assertTrue(model.provenance().contains("\"mgd_steps\": 3"), model.provenance());

        // save and load the fitted pipeline and the unfitted one
        String saved = dir.resolve("saved-model").toString();
        fitted.write().overwrite().save(saved);
        PipelineModel loaded = PipelineModel.load(saved);
        MgdSelectionModel loadedModel = (MgdSelectionModel) loaded.stages()[2];
        assertEquals(expected, exact(loadedModel.selection()));
        assertEquals("id", loadedModel.getOrDefault(loadedModel.uidCol()));
        assertEquals(model.provenance(), loadedModel.provenance());
        String savedPipeline = dir.resolve("saved-pipeline").toString();
        pipeline.write().overwrite().save(savedPipeline);
        MgdSelector loadedSelector = (MgdSelector) Pipeline.load(savedPipeline).getStages()[2];
        assertEquals(reference("p", "t", "o"), loadedSelector.selectParams("p", "t", "o"));

        // transform: every row gets its count (0 unless selected); filter keeps exactly the selection
        Map<String, Integer> counts = new TreeMap<>();
        for (Row r : spark.read().parquet(ref.selectionPath()).collectAsList()) {
            counts.put(r.getString(0), r.getInt(1));
        }
        List<Row> weighted = loaded.transform(data).select("id", "mgd_count", "features").collectAsList();
        assertEquals(raw.size(), weighted.size());
        for (Row r : weighted) {
            assertEquals(counts.getOrDefault(r.getString(0), 0), r.getInt(1), r.getString(0));
        }
        loadedModel.setMode("filter");
        List<Row> kept = loaded.transform(data).select("id", "mgd_count").collectAsList();
        assertEquals(counts.keySet(), kept.stream().map(r -> r.getString(0)).collect(Collectors.toCollection(java.util.TreeSet::new)));
        assertTrue(kept.stream().allMatch(r -> r.getInt(1) >= 1));
    }

    @Test
    void refusesAmbiguousTargetsAndUnindexedLabels() {
        Dataset<Row> assembled = new VectorAssembler().setInputCols(new String[] {"x0", "x1"}).setOutputCol("features")
                .transform(data);
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new MgdSelector().setUidCol("id").fit(assembled));
        assertTrue(none.getMessage().contains("exactly one target set"), none.getMessage());
        IllegalArgumentException strings = assertThrows(IllegalArgumentException.class,
                () -> new MgdSelector().setUidCol("id").setTargetCol("is_target").setLabelCol("species").fit(assembled));
        assertTrue(strings.getMessage().contains("'species' (labelCol)") && strings.getMessage().contains("StringIndexer"),
                strings.getMessage());
        IllegalArgumentException mode = assertThrows(IllegalArgumentException.class,
                () -> new MgdSelectionModel("m", spark.emptyDataFrame(), "{}").setMode("drop"));
        assertTrue(mode.getMessage().contains("weight or filter"), mode.getMessage());
    }

    private static Map<String, Integer> labelIndex() {
        Map<String, Long> freq = raw.stream().collect(Collectors.groupingBy(r -> r.getString(1), Collectors.counting()));
        List<String> order = freq.keySet().stream()
                .sorted(Comparator.<String, Long>comparing(freq::get).reversed().thenComparing(Comparator.naturalOrder())).toList();
        Map<String, Integer> index = new TreeMap<>();
        for (int i = 0; i < order.size(); i++) {
            index.put(order.get(i), i);
        }
        return index;
    }

    private static void writeFeatures(String path, boolean target, Map<String, Integer> index) {
        List<Row> rows = new ArrayList<>();
        for (Row r : raw) {
            if (r.getBoolean(2) != target) {
                continue;
            }
            List<Float> features = new ArrayList<>();
            for (int j = 0; j < FEATURES; j++) {
                features.add((float) r.getDouble(3 + j));
            }
            rows.add(RowFactory.create(r.getString(0), features, index.get(r.getString(1)), null, "by-hand", null, null));
        }
        spark.createDataFrame(rows, SyntheticSample.FEATURES).write().mode(SaveMode.ErrorIfExists).parquet(path);
    }

    /** Rows sorted, doubles in hex (exact). */
    static List<String> exact(Dataset<Row> rows) {
        return rows.select("uid", "count", "metagrad", "rank").collectAsList().stream().map(r -> {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < r.length(); i++) {
                Object v = r.get(i);
                b.append(v instanceof Double d ? Double.toHexString(d) : String.valueOf(v)).append('|');
            }
            return b.toString();
        }).sorted().toList();
    }
}
