package io.metagrad.spark.featurize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.io.FeatureMatrix;
import io.metagrad.spark.io.FeatureTables;
import io.metagrad.spark.io.Json;
import io.metagrad.spark.io.TableManifest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeaturizeJobTest {

    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("featurize-test");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private String path(String name) {
        return dir.resolve(name).toString();
    }

    /** A text pool: uid, text, label, source ({@code source-<uid>}) (written as two files). */
    private String textPool(String name, String... texts) {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < texts.length; i++) {
            values.append(i == 0 ? "" : ", ").append("('t").append(i).append("', ")
                    .append(texts[i] == null ? "null" : "'" + texts[i] + "'").append(", ").append(i % 2).append(")");
        }
        spark.sql("select col1 as uid, col2 as text, col3 as label, concat('source-', col1) as source from values " + values)
                .repartition(2).write().parquet(path(name));
        return path(name);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private JsonObject manifest(String table) {
        return TableManifest.read(table, spark.sparkContext().hadoopConfiguration()).orElseThrow();
    }

    @Test
    void hashingTfIdfFitsOnThePoolAndIsReusedForOtherSplits() {
        String pool = textPool("pool", "the cat sat on the mat", "the dog ate my homework", "a cat and a dog", "");
        FeaturizeResult r = FeaturizeJob.run(spark, FeaturizeParams.of(pool, path("f"), FeaturizerKind.HASHING_TFIDF)
                .withNumFeatures(64));
        assertEquals(4, r.rows());
        assertEquals(64, r.dim());
        FeatureMatrix m = FeatureTables.read(spark, path("f"));
        int cat = Arrays.asList(m.uids()).indexOf("t0");
        assertEquals(1.0, dot(m.features()[cat], m.features()[cat]), 1e-6, "L2-normalized");
        int empty = Arrays.asList(m.uids()).indexOf("t3");
        assertEquals(0.0, dot(m.features()[empty], m.features()[empty]), 0, "empty text → zero vector");
        assertEquals(0, m.labels()[cat]);
        assertNull(m.targets());
        JsonObject manifest = manifest(path("f"));
        assertEquals("hashing-tfidf", manifest.get("featurizer").getAsString());
        assertEquals(64, manifest.get("dim").getAsInt());
        assertTrue(Files.isDirectory(dir.resolve("f/_featurizer/idf")));
        Row row = spark.read().parquet(path("f")).first();
        assertEquals("hashing-tfidf", row.getAs("featurizer"));
        assertTrue(((String) row.getAs("featurizer_version")).startsWith("1/spark-3.5"));
        assertEquals(64, Json.parse(row.getAs("featurizer_params")).getAsJsonObject().get("numFeatures").getAsInt());
        assertEquals(0, spark.read().parquet(path("f")).where("source is null or source != concat('source-', uid)").count(),
                "every row keeps its pool row's source");

        // the same text in another split gets the same vector only with the pool's IDF
        String target = textPool("target", "the cat sat on the mat");
        FeaturizeJob.run(spark, FeaturizeParams.of(target, path("tf"), FeaturizerKind.HASHING_TFIDF).withNumFeatures(64)
                .withFittedFrom(path("f")).withTargetSet(true));
        FeatureMatrix t = FeatureTables.read(spark, path("tf"));
        assertArrayEquals(m.features()[cat], t.features()[0], 1e-7);
        assertEquals("targets/v1", manifest(path("tf")).get("schema").getAsString());
        FeaturizeJob.run(spark, FeaturizeParams.of(target, path("tf2"), FeaturizerKind.HASHING_TFIDF).withNumFeatures(64));
        assertFalse(Arrays.equals(m.features()[cat], FeatureTables.read(spark, path("tf2")).features()[0]),
                "an IDF fitted on one document differs");

        String message = assertThrows(IllegalArgumentException.class, () -> FeaturizeJob.run(spark,
                FeaturizeParams.of(target, path("x"), FeaturizerKind.HASHING_TFIDF).withFittedFrom(path("f")))).getMessage();
        assertTrue(message.contains("has numFeatures 64; pass --num-features 64"), message);
        message = assertThrows(IllegalArgumentException.class, () -> FeaturizeJob.run(spark,
                FeaturizeParams.of(target, path("x"), FeaturizerKind.MINILM).withFittedFrom(path("f")))).getMessage();
        assertTrue(message.contains("was made by hashing-tfidf, not minilm-l6-v2-q"), message);
    }

    @Test
    void splitsShareThePoolsFitAndAreCommittedTogether() throws IOException {
        String pool = textPool("pool", "the cat sat on the mat", "the dog ate my homework", "a cat and a dog", "");
        String target = textPool("target", "the cat sat on the mat");
        String out = path("features");
        String summary = FeaturizeJob.run(spark, options("--split", "pool=" + pool, "--split", "target=" + target,
                "--target-split", "target", "--output", out, "--featurizer", "hashing-tfidf", "--num-features", "64"));
        assertTrue(summary.contains("wrote 4 rows") && summary.contains("wrote 1 rows"), summary);

        JsonObject dirManifest = manifest(out);
        assertEquals(FeaturizeSplits.SCHEMA, dirManifest.get("schema").getAsString());
        assertEquals(4, dirManifest.getAsJsonObject("splits").get("pool").getAsInt());
        assertEquals(1, dirManifest.getAsJsonObject("splits").get("target").getAsInt());
        assertEquals("pool", dirManifest.get("fitted_on").getAsString());
        assertEquals("features/v1", manifest(out + "/pool").get("schema").getAsString());
        JsonObject targetManifest = manifest(out + "/target");
        assertEquals("targets/v1", targetManifest.get("schema").getAsString());
        String recorded = targetManifest.toString();
        assertTrue(recorded.contains(out + "/pool") && !recorded.contains(".staging-"),
                "the target records the committed pool features it was fitted from: " + recorded);

        // the target in the pool's space: the same vector as the pool's copy of the text, and as --fitted-from gives
        FeatureMatrix m = FeatureTables.read(spark, out + "/pool");
        double[] cat = m.features()[Arrays.asList(m.uids()).indexOf("t0")];
        assertArrayEquals(cat, FeatureTables.read(spark, out + "/target").features()[0], 0.0);
        FeaturizeJob.run(spark, FeaturizeParams.of(pool, path("alone"), FeaturizerKind.HASHING_TFIDF).withNumFeatures(64));
        FeaturizeJob.run(spark, FeaturizeParams.of(target, path("alone-target"), FeaturizerKind.HASHING_TFIDF).withNumFeatures(64)
                .withFittedFrom(path("alone")).withTargetSet(true));
        assertArrayEquals(FeatureTables.read(spark, path("alone-target")).features()[0],
                FeatureTables.read(spark, out + "/target").features()[0], 0.0);

        // all or nothing: a second split that is no pool table fails after the first was featurized, and leaves nothing
        spark.sql("select 1 as id").write().parquet(path("not-a-pool"));
        assertThrows(IllegalArgumentException.class, () -> FeaturizeJob.run(spark, options("--split", "pool=" + pool,
                "--split", "bad=" + path("not-a-pool"), "--output", path("partial"), "--featurizer", "hashing-tfidf")));
        assertFalse(Files.exists(dir.resolve("partial")));
        try (var left = Files.list(dir)) {
            assertFalse(left.anyMatch(f -> f.getFileName().toString().contains(".staging-")), "no staging directory left");
        }
        String message = assertThrows(IllegalArgumentException.class, () -> FeaturizeJob.run(spark, options("--split",
                "pool=" + pool, "--target-split", "target", "--output", path("x"), "--featurizer", "hashing-tfidf"))).getMessage();
        assertTrue(message.contains("--target-split target names no --split"), message);
        message = assertThrows(IllegalArgumentException.class, () -> FeaturizeJob.run(spark, options("--input", pool,
                "--split", "pool=" + pool, "--output", path("x"), "--featurizer", "hashing-tfidf"))).getMessage();
        assertTrue(message.contains("not both"), message);
        assertFalse(Files.exists(dir.resolve("x")));
    }

    private static FeaturizeOptions options(String... args) {
        FeaturizeOptions o = new FeaturizeOptions();
        new picocli.CommandLine(o).parseArgs(args);
        return o;
    }

    @Test
    void miniLmEmbedsTextInsideSparkTasks() {
        String pool = textPool("pool", "A man is eating food.", "A man is eating a piece of bread.",
                "The girl is carrying a baby.", "A man is riding a horse.");
        FeaturizeResult r = FeaturizeJob.run(spark, FeaturizeParams.of(pool, path("f"), FeaturizerKind.MINILM).withBatches(3, 1));
        assertEquals(384, r.dim());
        assertEquals("minilm-l6-v2-q", r.featurizer());
        FeatureMatrix m = FeatureTables.read(spark, path("f"));
        List<String> uids = Arrays.asList(m.uids());
        double[] food = m.features()[uids.indexOf("t0")];
        double[] bread = m.features()[uids.indexOf("t1")];
        double[] baby = m.features()[uids.indexOf("t2")];
        assertTrue(dot(food, bread) > dot(food, baby) + 0.3);
        float[] direct = MiniLmEncoder.shared().encode(List.of("A man is eating food."))[0];
        for (int i = 0; i < direct.length; i++) {
            assertEquals(direct[i], food[i], 0, "the same embedding as the encoder alone");
        }
    }

    private static List<Float> boxed(float... v) {
        Float[] b = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = v[i];
        }
        return Arrays.asList(b);
    }

    private static byte[] png(float[] gray, int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < gray.length; i++) {
            image.getRaster().setSample(i % w, i / w, 0, Math.round(gray[i] * 255));
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Images as pixels (rows 0–2) and as PNG bytes (row 3, the same picture as row 0). */
    private String imagePool(String name) {
        StructType schema = new StructType().add("uid", DataTypes.StringType).add("image", DataTypes.BinaryType)
                .add("pixels", DataTypes.createArrayType(DataTypes.FloatType)).add("label", DataTypes.IntegerType)
                .add("emb_txt", DataTypes.createArrayType(DataTypes.FloatType));
        float[] a = {0, 0.2f, 0.6f, 1};
        List<Row> rows = List.of(
                RowFactory.create("i0", null, boxed(a), 0, boxed(1, 0)),
                RowFactory.create("i1", null, boxed(1, 1, 0, 0), 1, boxed(0, 1)),
                RowFactory.create("i2", null, boxed(0.4f, 0.4f, 0.4f, 0.4f), 1, boxed(1, 1)),
                RowFactory.create("i3", png(a, 2, 2), null, 0, boxed(0.5f, 0.5f)));
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(path(name));
        return path(name);
    }

    @Test
    void pixelsAreStandardizedAndOptionallyProjected() {
        String pool = imagePool("pool");
        FeaturizeJob.run(spark, FeaturizeParams.of(pool, path("f"), FeaturizerKind.PIXELS));
        FeatureMatrix m = FeatureTables.read(spark, path("f"));
        assertEquals(4, m.dim());
        double sum = 0;
        double sumsq = 0;
        for (double[] x : m.features()) {
            for (double v : x) {
                sum += v;
                sumsq += v * v;
            }
        }
        assertEquals(0, sum / 16, 1e-6);
        assertEquals(1, sumsq / 16, 1e-5);
        List<String> uids = Arrays.asList(m.uids());
        // PNG bytes are decoded to the same pixels (up to 8-bit rounding)
        assertArrayEquals(m.features()[uids.indexOf("i0")], m.features()[uids.indexOf("i3")], 0.01);

        FeaturizeJob.run(spark, FeaturizeParams.of(pool, path("p1"), FeaturizerKind.PIXELS).withProjection(3, 7));
        FeaturizeJob.run(spark, FeaturizeParams.of(pool, path("p2"), FeaturizerKind.PIXELS).withProjection(3, 7));
        FeaturizeJob.run(spark, FeaturizeParams.of(pool, path("p3"), FeaturizerKind.PIXELS).withProjection(3, 8));
        FeatureMatrix p1 = FeatureTables.read(spark, path("p1"));
        assertEquals(3, p1.dim());
        assertEquals("pixels+projection", spark.read().parquet(path("p1")).first().getAs("featurizer"));
        assertArrayEquals(p1.features()[0], FeatureTables.read(spark, path("p2")).features()[0], 0, "seeded");
        assertFalse(Arrays.equals(p1.features()[0], FeatureTables.read(spark, path("p3")).features()[0]));
        // y = R x with R from the seed
        float[] r = RandomProjection.matrix(7, 4, 3);
        double[] x = m.features()[0];
        double y0 = 0;
        for (int i = 0; i < 4; i++) {
            y0 += r[i] * x[i];
        }
        assertEquals(y0, p1.features()[0][0], 1e-5);

        // another split reuses the pool's mean and std
        String other = imagePool("other-images");
        FeaturizeJob.run(spark, FeaturizeParams.of(other, path("o"), FeaturizerKind.PIXELS).withFittedFrom(path("f")));
        JsonObject a = Json.parse(spark.read().parquet(path("f")).first().getAs("featurizer_params")).getAsJsonObject();
        JsonObject b = Json.parse(spark.read().parquet(path("o")).first().getAs("featurizer_params")).getAsJsonObject();
        assertEquals(a.get("mean"), b.get("mean"));
        assertEquals(a.get("std"), b.get("std"));
        assertEquals(path("f"), b.get("fittedFrom").getAsString());
    }

    @Test
    void passthroughWithTargetEmbeddingAndNoLabels() {
        String pool = imagePool("pool");
        spark.read().parquet(pool).selectExpr("uid", "emb_txt", "array(cast(length(uid) as float), 2f) as emb_img")
                .write().parquet(path("clip"));
        FeaturizeJob.run(spark, FeaturizeParams.passthrough(path("clip"), path("f"), "img")
                .withTargetEmbedding("txt").withLabelColumn("none"));
        FeatureMatrix m = FeatureTables.read(spark, path("f"));
        int i1 = Arrays.asList(m.uids()).indexOf("i1");
        assertArrayEquals(new double[] {2, 2}, m.features()[i1]);
        assertArrayEquals(new double[] {0, 1}, m.targets()[i1]);
        assertArrayEquals(new int[] {-1, -1, -1, -1}, m.labels());
        assertEquals("passthrough:img", spark.read().parquet(path("f")).first().getAs("featurizer"));
    }

    @Test
    void badPoolsAreNamed() {
        String pool = textPool("pool", "one", null, "three");
        String message = assertThrows(IllegalArgumentException.class, () -> FeaturizeJob.run(spark,
                FeaturizeParams.of(pool, path("f"), FeaturizerKind.HASHING_TFIDF))).getMessage();
        assertTrue(message.matches("pool file:/.*\\.parquet row \\d \\(uid t1\\) field 'text': missing; hashing-tfidf needs "
                + "text on every row \\(1 row lacks it\\)"), message);
        assertFalse(Files.exists(dir.resolve("f")));

        message = assertThrows(IllegalArgumentException.class, () -> FeaturizeJob.run(spark,
                FeaturizeParams.passthrough(pool, path("f"), "clip"))).getMessage();
        assertTrue(message.contains("has no column emb_clip (its embeddings: none)"), message);

        message = assertThrows(IllegalArgumentException.class, () -> FeaturizeJob.run(spark,
                FeaturizeParams.of(pool, path("f"), FeaturizerKind.MINILM).withLabelColumn("text"))).getMessage();
        assertTrue(message.contains("--label-column 'text' is not an int column"), message);

        spark.sql("select 'same' as uid, 'x' as text from range(2)").write().parquet(path("dups"));
        message = assertThrows(IllegalArgumentException.class, () -> FeaturizeJob.run(spark,
                FeaturizeParams.of(path("dups"), path("f"), FeaturizerKind.HASHING_TFIDF))).getMessage();
        assertTrue(message.contains("field 'uid': 'same' appears 2 times"), message);

        spark.sql("select 'a' as uid, 'x' as text, cast(null as int) as label").write().parquet(path("unlabeled"));
        message = assertThrows(IllegalArgumentException.class, () -> FeaturizeJob.run(spark,
                FeaturizeParams.of(path("unlabeled"), path("f"), FeaturizerKind.HASHING_TFIDF).withTargetSet(true))).getMessage();
        assertTrue(message.contains("field 'label': missing; a target set needs a label on every row"), message);

        UncheckedIOException missing = assertThrows(UncheckedIOException.class, () -> FeaturizeJob.run(spark,
                FeaturizeParams.of(path("nowhere"), path("f"), FeaturizerKind.HASHING_TFIDF)));
        assertTrue(missing.getCause() instanceof java.io.FileNotFoundException);

        assertThrows(IllegalArgumentException.class, () -> FeaturizeParams.of("a", "b", FeaturizerKind.PASSTHROUGH));
        assertThrows(IllegalArgumentException.class, () -> FeaturizeParams.of("a", "b", FeaturizerKind.MINILM).withProjection(8, 0));
        assertThrows(IllegalArgumentException.class, () -> FeaturizeParams.of("a", "b", FeaturizerKind.HASHING_TFIDF).withNumFeatures(0));
    }
}
