package io.metagrad.spark.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.metagrad.cli.Mgd;
import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.io.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code MgdSelector.weightCol} = {@code select --initial-counts}: each pool row starts MGD from its own count. The
 * Estimator and the command select the same items bit for bit, a uniform column is exactly {@code initialCount},
 * zero starts excluded, bad values fail before any step, and a run does not resume from other counts.
 */
class MgdSelectorWeightColTest {

    private static final int POOL = 60;
    private static SparkSession spark;
    private static Dataset<Row> data;
    /** Pool uid → its weight {@code w} (0…3). */
    private static final Map<String, Long> WEIGHTS = new HashMap<>();

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("mgd-selector-weight-col-test");
        Random random = new Random(5);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < POOL + 20; i++) {
            String id = (i < POOL ? "p" : "t") + String.format("%04d", i);
            int c = i % 2;
            boolean target = i >= POOL;
            Long w = target ? null : (long) ((i * 7) % 4); // target rows' weights are not read
            if (!target) {
                WEIGHTS.put(id, w);
            }
            rows.add(RowFactory.create(id, (double) c, target, (c == 0 ? 1.0 : 0.0) + random.nextGaussian(),
                    (c == 1 ? 1.0 : 0.0) + random.nextGaussian(), w, 2.0, (i * 3 + 1) % 4 == 0 ? 3L : 1L));
        }
        StructType schema = new StructType().add("id", DataTypes.StringType, false).add("label", DataTypes.DoubleType, false)
                .add("is_target", DataTypes.BooleanType, false).add("x0", DataTypes.DoubleType).add("x1", DataTypes.DoubleType)
                .add("w", DataTypes.LongType).add("two", DataTypes.DoubleType).add("other", DataTypes.LongType);
        data = new VectorAssembler().setInputCols(new String[] {"x0", "x1"}).setOutputCol("features")
                .transform(spark.createDataFrame(rows, schema).repartition(2));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static final String[] SETTINGS = {"--seed", "11", "--batch-size", "16", "--train-steps", "12", "--mgd-steps", "2",
        "--replicas", "1", "--mask-p", "0.5", "--lr", "0.2", "--keep-fraction", "0.5"};

    private static MgdSelector selector(String work) {
        return new MgdSelector().setUidCol("id").setTargetCol("is_target").setWorkDir(dir.resolve(work).toString())
                .setSeed(11).setBatchSize(16).setTrainSteps(12).setMgdSteps(2).setReplicas(1).setMaskProbability(0.5).setLr(0.2)
                .setKeepFraction(0.5);
    }

    private static int select(StringWriter err, String... args) {
        CommandLine cl = Mgd.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        List<String> all = new ArrayList<>(List.of("select"));
        all.addAll(List.of(args));
        return cl.execute(all.toArray(new String[0]));
    }

    private static String[] cli(String work, String output, String... more) {
        List<String> args = new ArrayList<>(List.of("--pool", dir.resolve(work + "/pool").toString(),
                "--target", dir.resolve(work + "/target").toString(), "--output", dir.resolve(output).toString()));
        args.addAll(List.of(SETTINGS));
        args.addAll(List.of(more));
        return args.toArray(new String[0]);
    }

    /** The run's metrics.jsonl without the fields that vary from run to run (times, clock). */
    private static List<String> metrics(Path run) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonObject o = Json.parse(line).getAsJsonObject();
            for (String k : new String[] {"metagrad_seconds", "score_seconds", "seconds", "finished_utc"}) {
                o.remove(k);
            }
            out.add(Json.compact(o));
        }
        return out;
    }

    private static Map<String, Integer> stepCounts(Path run, int step) {
        Map<String, Integer> counts = new HashMap<>();
        for (Row r : spark.read().parquet(run.resolve(String.format("steps/step=%05d", step)).toString()).select("uid", "count")
                .collectAsList()) {
            counts.put(r.getString(0), r.getInt(1));
        }
        return counts;
    }

    private static void writeCounts(String path, List<Row> rows) {
        spark.createDataFrame(rows, new StructType().add("uid", DataTypes.StringType).add("count", DataTypes.DoubleType))
                .write().parquet(path);
    }

    @Test
    void weightColEqualsTheCommandAndZeroStartsExcluded() throws Exception {
        MgdSelectionModel model = selector("a").setWeightCol("w").fit(data);
        StringWriter err = new StringWriter();
        String counts = dir.resolve("a/initial_counts").toString();
        assertEquals(0, select(err, cli("a", "a-cli", "--initial-counts", counts)), err.toString());

        Path fitted = dir.resolve("a/run");
        Path command = dir.resolve("a-cli");
        assertEquals(MgdSelectorPipelineTest.exact(spark.read().parquet(command.resolve("selection").toString())),
                MgdSelectorPipelineTest.exact(model.selection()));
        assertEquals(metrics(command), metrics(fitted));
        assertEquals(3, metrics(fitted).size(), "steps 0, 1, 2");

        // every pool row starts from its weight; zero-weight rows start excluded
        assertEquals(WEIGHTS.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                e -> e.getValue().intValue())), stepCounts(command, 0));
        long total = WEIGHTS.values().stream().mapToLong(Long::longValue).sum();
        long kept = WEIGHTS.values().stream().filter(w -> w > 0).count();
        assertTrue(kept < POOL && kept > 0, "some weights are 0: " + kept);
        JsonObject m0 = Json.parse(Files.readAllLines(command.resolve("metrics.jsonl")).get(0)).getAsJsonObject();
        assertEquals(total, m0.get("total_count").getAsLong());
        assertEquals(kept, m0.get("kept").getAsLong());
        JsonObject manifest = Json.parse(Files.readString(command.resolve("_metagrad.json"))).getAsJsonObject();
        assertEquals(counts, manifest.getAsJsonObject("params").get("initial_counts").getAsString());
        assertFalse(manifest.getAsJsonObject("params").has("initial_count"), "no uniform count when counts are per item");
        assertEquals(total, manifest.getAsJsonObject("initial_counts").get("total_count").getAsLong());
        assertTrue(model.provenance().contains(counts), "the selection's provenance names the counts table");

        // (d) a run does not resume from other counts: another table, uniform counts, another weight column
        writeCounts(dir.resolve("ones").toString(), WEIGHTS.keySet().stream().map(u -> RowFactory.create(u, 1.0)).toList());
        StringWriter other = new StringWriter();
        assertEquals(2, select(other, cli("a", "a-cli", "--initial-counts", dir.resolve("ones").toString())));
        assertTrue(other.toString().contains("another initial_counts table"), other.toString());
        StringWriter uniform = new StringWriter();
        assertEquals(2, select(uniform, cli("a", "a-cli")));
        assertTrue(uniform.toString().contains("initial_count = per item"), uniform.toString());
        IllegalArgumentException changed = assertThrows(IllegalArgumentException.class,
                () -> selector("a").setWeightCol("other").fit(data));
        assertTrue(changed.getMessage().contains("another initial_counts table"), changed.getMessage());
    }

    @Test
    void aUniformWeightColumnIsInitialCount() throws Exception {
        MgdSelectionModel weighted = selector("two").setWeightCol("two").fit(data);
        MgdSelectionModel uniform = selector("two-uniform").setInitialCount(2).fit(data);
        assertEquals(MgdSelectorPipelineTest.exact(uniform.selection()), MgdSelectorPipelineTest.exact(weighted.selection()));
        assertEquals(metrics(dir.resolve("two-uniform/run")), metrics(dir.resolve("two/run")));
        assertEquals(2L * POOL, Json.parse(Files.readAllLines(dir.resolve("two/run/metrics.jsonl")).get(0)).getAsJsonObject()
                .get("total_count").getAsLong());
    }

    @Test
    void pruneNeverTakesAZeroWeightItemAndPlansFromTheKeptOnes() throws Exception {
        MgdSelectionModel model = selector("prune").setMethod("mgd-prune").setKeepFraction(0).setKeep(20).setPruneFraction(0.2)
                .setWeightCol("w").fit(data);
        List<Row> selected = model.selection().select("uid").collectAsList();
        assertEquals(20, selected.size());
        for (Row r : selected) {
            assertTrue(WEIGHTS.get(r.getString(0)) > 0, r.getString(0) + " had weight 0");
        }
        long kept = WEIGHTS.values().stream().filter(w -> w > 0).count();
        int perStep = 12; // ⌈0.2 · 60⌉
        assertEquals(1 + (kept - 20 + perStep - 1) / perStep, metrics(dir.resolve("prune/run")).size(),
                "steps from the " + kept + " kept items down to 20, not from the whole pool");
    }

    @Test
    void badWeightsFailBeforeAnyWorkNamingColumnUidAndValue() throws Exception {
        String[][] cases = {{"-1.0", "-1.0"}, {"1.5", "1.5"}, {"NaN", "NaN"}, {"Infinity", "Infinity"}};
        for (String[] c : cases) {
            double bad = Double.parseDouble(c[0]);
            Dataset<Row> rows = data.withColumn("weight", org.apache.spark.sql.functions.when(
                    org.apache.spark.sql.functions.col("id").equalTo("p0007"), bad).otherwise(1.0));
            String work = "bad-" + c[0];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> selector(work).setWeightCol("weight").fit(rows));
            assertTrue(e.getMessage().contains("column 'weight'") && e.getMessage().contains("uid 'p0007'")
                    && e.getMessage().contains("is " + c[1] + ";"), e.getMessage());
            assertFalse(Files.exists(dir.resolve(work)), "nothing written for " + c[0]);
        }
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> selector("both").setWeightCol("w").setInitialCount(2).fit(data));
        assertTrue(both.getMessage().contains("not both"), both.getMessage());
        IllegalArgumentException baseline = assertThrows(IllegalArgumentException.class,
                () -> selector("random").setMethod("random").setWeightCol("w").fit(data));
        assertTrue(baseline.getMessage().contains("mgd and mgd-prune"), baseline.getMessage());

        // the command: bad, unknown and repeated uids exit 2 naming them, before any output is made
        selector("tables").setMethod("random").fit(data); // writes tables/pool and tables/target
        List<Row> good = WEIGHTS.keySet().stream().sorted().map(u -> RowFactory.create(u, 1.0)).toList();
        List<Row> negative = new ArrayList<>(good);
        negative.set(3, RowFactory.create(good.get(3).getString(0), -2.0));
        List<Row> unknown = new ArrayList<>(good);
        unknown.add(RowFactory.create("nobody", 1.0));
        List<Row> twice = new ArrayList<>(good);
        twice.add(RowFactory.create(good.get(5).getString(0), 1.0));
        List<Row> zeros = good.stream().map(r -> RowFactory.create(r.getString(0), 0.0)).toList();
        Object[][] tables = {{"negative", negative, "uid '" + good.get(3).getString(0) + "' is -2.0"},
            {"unknown", unknown, "uid 'nobody' is not in the pool"}, {"twice", twice, "'" + good.get(5).getString(0)
                + "' is listed 2 times"}, {"zeros", zeros, "every pool item's count is 0"}};
        for (Object[] t : tables) {
            String path = dir.resolve("counts-" + t[0]).toString();
            @SuppressWarnings("unchecked")
            List<Row> rows = (List<Row>) t[1];
            writeCounts(path, rows);
            StringWriter err = new StringWriter();
            assertEquals(2, select(err, cli("tables", "out-" + t[0], "--initial-counts", path)), err.toString());
            assertTrue(err.toString().contains((String) t[2]), err.toString());
            assertFalse(Files.exists(dir.resolve("out-" + t[0])), "no output for " + t[0]);
        }
        StringWriter missing = new StringWriter();
        assertEquals(3, select(missing, cli("tables", "out-missing", "--initial-counts", dir.resolve("none").toString())));
    }
}
