package io.metagrad.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.curate.DataCompSubset;
import io.metagrad.spark.io.FeatureTables;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.schema.Table;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DataComp example of docs/results.md, small, end to end through the command line: a CLIP-style pool written
 * as DataComp shards ({@code sample-datacomp}), {@code ingest --format datacomp --keep-column}, {@code featurize},
 * every filter baseline, random and MGD with the CLIP head ({@code select}), and a submission per method
 * ({@code curate --npy}) that loads with DataComp's dtype.
 */
class DataCompExampleTest {

    private static final int N = 200;
    private static final String[] NAMES = {"cat", "dog"};
    private static SparkSession spark;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("datacomp-example-test");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static List<Float> vector(float[] mean, Random r, float noise) {
        List<Float> v = new ArrayList<>();
        for (float m : mean) {
            v.add(m + noise * (float) r.nextGaussian());
        }
        return v;
    }

    /** Class c's image direction (4-d) and caption direction (3-d). */
    private static float[] image(int c) {
        return c == 0 ? new float[] {1, 0, 0.5f, 0} : new float[] {0, 1, 0, 0.5f};
    }

    private static float[] caption(int c) {
        return c == 0 ? new float[] {1, 0, 0.2f} : new float[] {0, 1, 0.2f};
    }

    private static void write(String name, List<Row> rows) {
        FeatureTables.write(spark.createDataFrame(rows, Table.FEATURES.schema()), dir.resolve(name).toString(), false,
                TableManifest.of("test", Table.FEATURES));
    }

    /** A CLIP-style sample: pool table, its features, target features, class prompts; 30 % wrong, 10 % off-topic captions. */
    private static int sample() {
        Random r = new Random(5);
        List<Row> pool = new ArrayList<>();
        List<Row> features = new ArrayList<>();
        int mentions = 0;
        for (int i = 0; i < N; i++) {
            int c = i % 2;
            String kind = i % 10 < 6 ? "clean" : i % 10 < 9 ? "wrong-caption" : "off-topic";
            int shown = kind.equals("wrong-caption") ? 1 - c : c;
            String text = kind.equals("off-topic") ? "quarterly earnings rose sharply" : (i % 3 == 0 ? "a " : "photo of a small ")
                    + NAMES[shown];
            mentions += kind.equals("off-topic") ? 0 : 1;
            String uid = String.format("pool-%04d", i);
            pool.add(RowFactory.create(uid, text, kind));
            features.add(RowFactory.create(uid, vector(image(c), r, 0.3f), null,
                    kind.equals("off-topic") ? vector(new float[] {0, 0, 1}, r, 0.2f) : vector(caption(shown), r, 0.2f),
                    "test", "1", "{}", kind));
        }
        StructType schema = new StructType().add("uid", DataTypes.StringType, false).add("text", DataTypes.StringType)
                .add("source", DataTypes.StringType);
        spark.createDataFrame(pool, schema).write().parquet(dir.resolve("sample").toString());
        TableManifest.of("test", Table.POOL).writeTo(dir.resolve("sample").toString(), spark.sparkContext().hadoopConfiguration());
        write("features", features);
        List<Row> target = new ArrayList<>();
        for (int t = 0; t < 40; t++) {
            target.add(RowFactory.create("t" + t, vector(image(t % 2), r, 0.3f), t % 2, vector(caption(t % 2), r, 0.2f),
                    "test", "1", "{}", "clean"));
        }
        write("target", target);
        List<Row> test = new ArrayList<>();
        for (int t = 0; t < 40; t++) {
            test.add(RowFactory.create("x" + t, vector(image(t % 2), r, 0.3f), t % 2, vector(caption(t % 2), r, 0.2f),
                    "test", "1", "{}", "clean"));
        }
        write("test", test);
        List<Row> prompts = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            prompts.add(RowFactory.create(c, "a photo of a " + NAMES[c] + ".", vector(caption(c), r, 0)));
        }
        spark.createDataFrame(prompts, Table.CLASS_PROMPTS.schema()).write().parquet(dir.resolve("prompts").toString());
        TableManifest.of("test", Table.CLASS_PROMPTS).writeTo(dir.resolve("prompts").toString(),
                spark.sparkContext().hadoopConfiguration());
        return mentions;
    }

    private static void mgd(String... args) {
        assertEquals(0, Mgd.commandLine().execute(args), String.join(" ", args));
    }

    private static String p(String name) {
        return dir.resolve(name).toString();
    }

    @Test
    void shardsIngestEveryMethodAndASubmissionEach() throws IOException {
        int mentions = sample();
        String[] clip = {"--model", "CLIP", "--projection-dim", "3", "--train-steps", "20", "--batch-size", "16", "--lr", "0.1"};
        mgd(concat(new String[] {"sample-datacomp", "--sample", p("sample"), "--pool", p("features"), "--target", p("target"),
            "--output", p("shards"), "--shards", "2"}, clip));
        List<String> shards = new ArrayList<>();
        try (var files = Files.list(dir.resolve("shards"))) {
            files.map(f -> f.getFileName().toString()).filter(f -> !f.startsWith(".") && !f.startsWith("_")).sorted()
                    .forEach(shards::add);
        }
        assertEquals(List.of("00000000.npz", "00000000.parquet", "00000001.npz", "00000001.parquet"), shards);
        assertTrue(Files.readString(dir.resolve("shards/_metagrad.json")).contains("datacomp-shards/v1"));
        Row first = spark.read().parquet(p("shards/00000000.parquet")).orderBy("uid").first();
        assertTrue(first.getString(0).matches("[0-9a-f]{32}"), first.toString());
        assertEquals(28L, (long) first.getAs("original_width"));

        mgd("ingest", "--format", "datacomp", "--input", p("shards"), "--output", p("pool"), "--keep-column", "caption_kind",
            "--require", "emb_b32_img,emb_b32_txt");
        Row ingested = spark.read().parquet(p("pool")).where("caption_kind = 'off-topic'").first();
        assertEquals("quarterly earnings rose sharply", ingested.getAs("text"));
        double score = ingested.getAs("clip_b32_similarity_score");
        assertTrue(score >= -1 - 1e-6 && score <= 1 + 1e-6, "a cosine: " + score);
        mgd("featurize", "--input", p("pool"), "--output", p("pool-features"), "--featurizer", "passthrough", "--embedding",
            "b32_img", "--target-embedding", "b32_txt");

        String[] common = {"--pool", p("pool-features"), "--target", p("target")};
        String[] meta = {"--metadata", p("pool")};
        int budget = (int) Math.round(0.3 * N);
        check("none", N, concat(common, new String[] {"--method", "none"}));
        check("basic", 0, concat(common, meta, new String[] {"--method", "basic"})); // 28-px images: DataComp's size rule drops all
        check("text-based", mentions, concat(common, meta, clip, new String[] {"--method", "text-based", "--prompts", p("prompts")}));
        int image = check("image-based", -1, concat(common, new String[] {"--method", "image-based", "--clusters", "2"}));
        // the targets are of both classes, so the clusters nearest them may be every cluster
        assertTrue(image > 0 && image <= N, "image-based keeps the cluster(s) nearest the targets: " + image);
        check("clip-score", budget, concat(common, meta, new String[] {"--method", "clip-score", "--score-column",
            "clip_b32_similarity_score", "--keep-fraction", "0.3"}));
        List<String> top = selection("clip-score");
        List<String> expected = spark.read().parquet(p("pool")).orderBy(org.apache.spark.sql.functions.desc(
                "clip_b32_similarity_score"), org.apache.spark.sql.functions.asc("uid")).limit(budget).select("uid")
                .as(Encoders.STRING()).collectAsList();
        assertEquals(expected, top, "the top 30 % by the shards' similarity score");
        int both = check("clip-image", -1, concat(common, meta, new String[] {"--method", "clip-image", "--score-column",
            "clip_b32_similarity_score", "--keep-fraction", "0.3", "--clusters", "2"}));
        assertTrue(both <= budget, "clip-image is within the CLIP-score subset: " + both);
        check("random", budget, concat(common, clip, new String[] {"--method", "random", "--keep-fraction", "0.3"}));
        check("mgd", budget, concat(common, clip, new String[] {"--method", "mgd", "--keep-fraction", "0.3", "--mgd-steps", "2",
            "--replicas", "1"}));

        // evaluate: a method it runs itself beside finished select runs taken as they are, on one downstream protocol
        mgd(concat(new String[] {"evaluate", "--pool", p("pool-features"), "--target", p("target"), "--test", p("test"),
            "--prompts", p("prompts"), "--output", p("evaluate"), "--methods", "random", "--budgets", "0.3", "--seeds", "2",
            "--selection", "basic=" + p("runs/basic"), "--selection", "clip-score-30=" + p("runs/clip-score"),
            "--selection", "mgd-30=" + p("runs/mgd"), "--submissions"}, clip));
        com.google.gson.JsonArray rows = com.google.gson.JsonParser.parseString(Files.readString(dir.resolve("evaluate/evaluate.json")))
                .getAsJsonObject().getAsJsonArray("rows");
        java.util.Map<String, com.google.gson.JsonObject> byName = new java.util.LinkedHashMap<>();
        rows.forEach(e -> byName.put(e.getAsJsonObject().get("method").getAsString(), e.getAsJsonObject()));
        assertEquals(List.of("all-data", "random", "basic", "clip-score-30", "mgd-30"), new ArrayList<>(byName.keySet()));
        int steps = byName.get("all-data").get("trainSteps").getAsInt();
        for (String name : List.of("random", "clip-score-30", "mgd-30")) {
            com.google.gson.JsonObject row = byName.get(name);
            assertEquals(budget, row.get("kept").getAsInt(), name);
            long weight = row.get("totalWeight").getAsLong(); // MGD's counts may exceed 1; the others keep each item once
            assertTrue(name.startsWith("mgd") ? weight >= budget : weight == budget, name + " total weight " + weight);
            assertEquals(steps, row.get("trainSteps").getAsInt(), name + ": the same training steps as every selection");
            // every seed trained: scored, or reported at chance or diverged (left out of the means, not dropped)
            assertEquals(2, row.getAsJsonArray("perSeed").size() + row.get("chanceSeeds").getAsInt()
                    + row.get("divergedSeeds").getAsInt(), name);
        }
        assertEquals(0.3, byName.get("clip-score-30").get("budget").getAsDouble(), 1e-12, "a given run's budget is what it kept");
        assertEquals(0, byName.get("basic").get("kept").getAsInt());
        assertTrue(byName.get("basic").get("note").getAsString().contains("fewer than a batch"), byName.get("basic").toString());

        // evaluate --submissions: every compared selection's submission, the bytes curate --npy writes for it
        mgd("curate", "--npy", "--input", p("pool"), "--selection", p("evaluate/runs/random-0.30"), "--output",
            p("submissions/evaluate-random"));
        java.util.Map<String, String> curated = new java.util.LinkedHashMap<>();
        curated.put("random-0.30", "evaluate-random");
        curated.put("basic", "basic");
        curated.put("clip-score-30", "clip-score");
        curated.put("mgd-30", "mgd");
        com.google.gson.JsonObject listed = com.google.gson.JsonParser.parseString(Files.readString(
                dir.resolve("evaluate/evaluate.json"))).getAsJsonObject().getAsJsonObject("submissions");
        assertEquals(new java.util.TreeSet<>(curated.keySet()), new java.util.TreeSet<>(listed.keySet()),
                "one submission per compared selection");
        for (java.util.Map.Entry<String, String> e : curated.entrySet()) {
            Path submission = dir.resolve("evaluate/submissions/" + e.getKey());
            assertArrayEquals(Files.readAllBytes(dir.resolve("submissions/" + e.getValue() + "/subset.npy")),
                    Files.readAllBytes(submission.resolve("subset.npy")), e.getKey() + ": byte for byte curate --npy's");
            String run = e.getKey().equals("random-0.30") ? p("evaluate/runs/random-0.30") : p("runs/" + e.getValue());
            long selected = spark.read().parquet(run + "/selection").count();
            com.google.gson.JsonObject summary = com.google.gson.JsonParser.parseString(Files.readString(
                    submission.resolve("submission.json"))).getAsJsonObject();
            assertEquals(selected, summary.get("selected").getAsLong(), e.getKey());
            assertEquals(N, summary.get("pool_size").getAsLong(), e.getKey());
            assertEquals((double) selected / N, summary.get("fraction").getAsDouble(), 1e-12, e.getKey());
            assertEquals(selected, listed.getAsJsonObject(e.getKey()).get("selected").getAsLong(), e.getKey());
            // select records the command of every run it makes, MGD's too; evaluate's own runs carry evaluate's
            assertTrue(summary.has("params") && !summary.get("command").isJsonNull()
                    && !summary.get("command").getAsString().isEmpty(), e.getKey() + ": " + summary);
            numpyLoads(submission.resolve("subset.npy"), (int) selected);
        }
        assertEquals("random", com.google.gson.JsonParser.parseString(Files.readString(dir.resolve(
                "evaluate/submissions/random-0.30/submission.json"))).getAsJsonObject().get("method").getAsString());
        assertEquals(budget, (int) listed.getAsJsonObject("random-0.30").get("selected").getAsLong());
    }

    /** Runs {@code select} as {@code name}, then {@code curate --npy}; checks the submission; returns its size. */
    private static int check(String name, int size, String[] select) throws IOException {
        mgd(concat(new String[] {"select", "--output", p("runs/" + name)}, select));
        mgd("curate", "--npy", "--input", p("pool"), "--selection", p("runs/" + name), "--output", p("submissions/" + name));
        List<String> uids = selection(name);
        if (size >= 0) {
            assertEquals(size, uids.size(), name);
        }
        byte[] npy = Files.readAllBytes(dir.resolve("submissions/" + name + "/subset.npy"));
        assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}, Arrays.copyOf(npy, 8), name);
        int headerLength = (npy[8] & 0xff) | (npy[9] & 0xff) << 8;
        String header = new String(npy, 10, headerLength, StandardCharsets.ISO_8859_1);
        assertTrue(header.contains("'descr': [('f0', '<u8'), ('f1', '<u8')]") && header.contains("'shape': (" + uids.size() + ",)")
                && (10 + headerLength) % 64 == 0, header);
        assertEquals(10 + headerLength + 16L * uids.size(), npy.length, name + ": 16 bytes per uid");
        ByteBuffer rows = ByteBuffer.wrap(npy, 10 + headerLength, 16 * uids.size()).order(ByteOrder.LITTLE_ENDIAN);
        List<String> fromFile = new ArrayList<>();
        for (int i = 0; i < uids.size(); i++) {
            fromFile.add(String.format("%016x%016x", rows.getLong(), rows.getLong()));
        }
        assertEquals(uids.stream().sorted().toList(), fromFile, name + ": the selected uids, sorted as (f0, f1)");
        assertTrue(uids.stream().allMatch(DataCompSubset::isHexUid));
        String summary = Files.readString(dir.resolve("submissions/" + name + "/submission.json"));
        assertTrue(summary.contains("\"selected\": " + uids.size()) && summary.contains("\"pool_size\": " + N), summary);
        numpyLoads(dir.resolve("submissions/" + name + "/subset.npy"), uids.size());
        return uids.size();
    }

    /** The uids of a select run, in rank order. */
    private static List<String> selection(String name) {
        return spark.read().parquet(p("runs/" + name + "/selection")).orderBy("rank").select("uid").as(Encoders.STRING())
                .collectAsList();
    }

    /** NumPy, where installed, loads the file with DataComp's dtype and its row count. */
    private static void numpyLoads(Path npy, int rows) throws IOException {
        Process proc = new ProcessBuilder("python3", "-c", "import sys, numpy; a = numpy.load(sys.argv[1]);"
                + " print(a.dtype == numpy.dtype('u8,u8'), a.shape[0])", npy.toString()).redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (proc.waitFor() != 0 && out.contains("No module named")) {
                return; // no NumPy: the byte checks stand
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        assertEquals("True " + rows, out, npy.toString());
    }

    private static String[] concat(String[]... parts) {
        return Arrays.stream(parts).flatMap(Arrays::stream).toArray(String[]::new);
    }
}
