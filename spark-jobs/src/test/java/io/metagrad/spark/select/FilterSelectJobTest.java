package io.metagrad.spark.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.core.tensor.Precision;
import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.curate.CurateFormat;
import io.metagrad.spark.curate.CurateParams;
import io.metagrad.spark.curate.DataCompSubset;
import io.metagrad.spark.curate.Submission;
import io.metagrad.spark.train.TrainingOptions;
import io.metagrad.spark.io.FeatureTables;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.schema.Table;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
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
 * DataComp's leaderboard filters as {@code select --method}: each keeps exactly the items its rule
 * passes (computed here independently, item by item), ranked as documented, in the selection table.
 */
class FilterSelectJobTest {

    private static final int N = 40;
    private static final String[] CAPTIONS = {"a cat on the sofa", "dog", "category theory notes", "a small brown Dog running"};
    private static SparkSession spark;
    private static String pool;
    private static String features;
    private static String targets;
    private static String prompts;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("filter-select-test");
        List<Row> meta = new ArrayList<>();
        List<Row> feats = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            meta.add(RowFactory.create(uid(i), CAPTIONS[i % 4], width(i), height(i), score(i)));
            float noise = (i % 7) / 100f;
            feats.add(RowFactory.create(uid(i), i % 2 == 0 ? Arrays.asList(1f, noise) : Arrays.asList(noise, 1f), null, null,
                    "test", "1", "{}", null));
        }
        StructType metaSchema = new StructType().add("uid", DataTypes.StringType, false).add("text", DataTypes.StringType)
                .add("original_width", DataTypes.IntegerType).add("original_height", DataTypes.IntegerType)
                .add("clip_l14_similarity_score", DataTypes.DoubleType);
        pool = dir.resolve("pool").toString();
        spark.createDataFrame(meta, metaSchema).repartition(3).write().parquet(pool);
        TableManifest.of("test", Table.POOL).writeTo(pool, spark.sparkContext().hadoopConfiguration());
        features = write("features", feats);
        List<Row> near = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            near.add(RowFactory.create("t" + t, Arrays.asList(0.9f, 0.05f * t), 0, null, "test", "1", "{}", null));
        }
        targets = write("targets", near);
        prompts = dir.resolve("prompts").toString();
        StructType promptSchema = new StructType().add("class_id", DataTypes.IntegerType, false).add("prompt", DataTypes.StringType, false);
        spark.createDataFrame(List.of(RowFactory.create(0, "a photo of a cat."), RowFactory.create(1, "a photo of a dog.")),
                promptSchema).write().parquet(prompts);
        TableManifest.of("test", Table.CLASS_PROMPTS).writeTo(prompts, spark.sparkContext().hadoopConfiguration());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static String uid(int i) {
        return String.format("%032x", 0xabcdefL * (i + 1));
    }

    private static int width(int i) {
        return i % 5 == 0 ? 100 : i % 5 == 1 ? 900 : 640;
    }

    private static int height(int i) {
        return i % 5 == 0 ? 300 : i % 5 == 1 ? 250 : 480;
    }

    private static double score(int i) {
        return ((i * 37) % N) / (double) N;
    }

    private static String write(String name, List<Row> rows) {
        String path = dir.resolve(name).toString();
        FeatureTables.write(spark.createDataFrame(rows, Table.FEATURES.schema()).repartition(2), path, false,
                TableManifest.of("test", Table.FEATURES));
        return path;
    }

    private static SelectParams.Builder params(String name) {
        TrainingOptions clip = new TrainingOptions(TrainingOptions.ModelKind.CLIP, new int[] {5}, 3, 0.1,
                TrainingOptions.ScheduleKind.CONSTANT, 0, 0.5, 0, 8, 8, 5, Precision.FLOAT32);
        return SelectParams.builder(features, targets, dir.resolve(name).toString()).training(clip).prompts(prompts).seed(3);
    }

    private static List<String> run(Method method, SelectParams params, FilterParams filter) {
        SelectJob.Result r = FilterSelectJob.run(spark, params, filter, method);
        List<Row> rows = spark.read().parquet(r.selectionPath()).orderBy("rank").collectAsList();
        for (int k = 0; k < rows.size(); k++) {
            assertEquals(k + 1, rows.get(k).getInt(3));
            assertEquals(1, rows.get(k).getInt(1));
            assertTrue(rows.get(k).isNullAt(2));
        }
        assertEquals(rows.size(), r.selected());
        assertEquals(N, r.poolSize());
        return rows.stream().map(row -> row.getString(0)).toList();
    }

    /** The uids of the items that pass, in uid order. */
    private static List<String> byUid(IntPredicate passes) {
        return IntStream.range(0, N).filter(passes).mapToObj(FilterSelectJobTest::uid).sorted().toList();
    }

    /** The top {@code k} of the items that pass, by score. */
    private static List<String> byScore(IntPredicate passes, int k) {
        return IntStream.range(0, N).filter(passes).boxed().sorted(Comparator.comparingDouble(i -> -score(i))).limit(k)
                .map(FilterSelectJobTest::uid).toList();
    }

    @Test
    void eachFilterKeepsWhatItsRulePasses() {
        FilterParams withMetadata = new FilterParams(pool, null, 2);
        assertEquals(byUid(i -> true), run(Method.NONE, params("none").build(), FilterParams.none()));

        IntPredicate basic = i -> {
            String caption = CAPTIONS[i % 4].strip();
            int side = Math.min(width(i), height(i));
            return caption.length() >= 6 && caption.split("\\s+").length >= 3 && side >= 200
                    && (double) Math.max(width(i), height(i)) / side < 3;
        };
        assertEquals(byUid(basic), run(Method.BASIC, params("basic").build(), withMetadata));
        assertTrue(byUid(basic).size() > 0 && byUid(basic).size() < N);

        IntPredicate mentions = i -> CAPTIONS[i % 4].toLowerCase(Locale.ROOT).matches("(.*\\W)?(cat|dog)(\\W.*)?");
        assertEquals(byUid(mentions), run(Method.TEXT_BASED, params("text").build(), withMetadata));
        assertEquals(List.of("cat", "dog"), FilterRules.classNames(List.of("a photo of a cat.", "a photo of a dog.")));

        IntPredicate nearTargets = i -> i % 2 == 0;
        assertEquals(byUid(nearTargets), run(Method.IMAGE_BASED, params("image").build(), new FilterParams(null, null, 2)));

        FilterParams scored = new FilterParams(pool, "clip_l14_similarity_score", 2);
        assertEquals(byScore(i -> true, 12), run(Method.CLIP_SCORE, params("clip").keepFraction(0.3).build(), scored));
        List<String> top = byScore(i -> true, 12);
        List<String> both = top.stream().filter(u -> byUid(nearTargets).contains(u)).toList();
        assertEquals(both, run(Method.CLIP_IMAGE, params("clip-image").keepFraction(0.3).build(), scored));
        assertTrue(both.size() > 0 && both.size() < 12);

        Submission.Result sub = Submission.run(spark, new CurateParams(pool, dir.resolve("clip").toString(),
                dir.resolve("submission").toString(), false, CurateFormat.PARQUET, null, null));
        assertEquals(N, sub.poolSize());
        assertEquals(12, sub.selected());
        assertEquals("clip-score", sub.summary().get("method"));
        assertEquals(0.3, (double) sub.summary().get("fraction"), 1e-12);
        assertNpy(Path.of(java.net.URI.create(sub.npyPath())), top);
        String json = new String(assertDoesNotThrowRead(Path.of(java.net.URI.create(sub.summaryPath()))), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(json.contains("\"score_column\": \"clip_l14_similarity_score\"") && json.contains("\"command\""), json);
    }

    private static byte[] assertDoesNotThrowRead(Path p) {
        try {
            return java.nio.file.Files.readAllBytes(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The file holds {@code uids} sorted as DataComp's u8,u8 pairs; NumPy (when installed) loads it with that dtype. */
    private static void assertNpy(Path npy, List<String> uids) {
        DataCompSubset.Rows expected = DataCompSubset.rows(uids);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try {
            DataCompSubset.write(expected, bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(bytes.toByteArray(), assertDoesNotThrowRead(npy),
                "the streamed file equals the in-memory writer's");
        try {
            Process p = new ProcessBuilder("python3", "-c", "import sys, numpy; a = numpy.load(sys.argv[1]);"
                    + " print(a.dtype.descr, a.shape[0], bool((numpy.sort(a, order=['f0','f1']) == a).all()),"
                    + " '%016x%016x' % (int(a[0]['f0']), int(a[0]['f1'])))", npy.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0 && out.contains("No module named")) {
                return; // no NumPy here: the byte comparison above stands
            }
            String first = String.format("%016x%016x", expected.high()[0], expected.low()[0]);
            assertEquals("[('f0', '<u8'), ('f1', '<u8')] " + uids.size() + " True " + first, out);
        } catch (java.io.IOException e) {
            // no python3 here: the byte comparison above stands
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void filtersRefuseWhatTheyCannotUse() {
        String budget = assertThrows(IllegalArgumentException.class, () -> FilterSelectJob.run(spark,
                params("b1").keep(5).build(), new FilterParams(pool, null, 2), Method.BASIC)).getMessage();
        assertTrue(budget.contains("keeps every item its rule passes"), budget);
        String noMeta = assertThrows(IllegalArgumentException.class, () -> FilterSelectJob.run(spark,
                params("b2").build(), FilterParams.none(), Method.BASIC)).getMessage();
        assertTrue(noMeta.contains("--metadata"), noMeta);
        String column = assertThrows(IllegalArgumentException.class, () -> FilterSelectJob.run(spark,
                params("b3").keepFraction(0.3).build(), new FilterParams(pool, "clip_b32_similarity_score", 2), Method.CLIP_SCORE))
                .getMessage();
        assertTrue(column.contains("field 'clip_b32_similarity_score' is null on every row"), column);
        String absent = assertThrows(IllegalArgumentException.class, () -> FilterSelectJob.run(spark,
                params("b5").keepFraction(0.3).build(), new FilterParams(pool, "exif_score", 2), Method.CLIP_SCORE)).getMessage();
        assertTrue(absent.contains("no column 'exif_score'"), absent);
        String text = assertThrows(IllegalArgumentException.class, () -> FilterSelectJob.run(spark,
                params("b4").keepFraction(0.3).build(), new FilterParams(pool, "text", 2), Method.CLIP_SCORE)).getMessage();
        assertTrue(text.contains("must name a numeric column"), text);
    }
}
