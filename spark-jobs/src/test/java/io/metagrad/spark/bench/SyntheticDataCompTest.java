package io.metagrad.spark.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.cli.Mgd;
import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.io.npy.Npy;
import io.metagrad.spark.io.npy.NpyArray;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The synthetic DataComp-shaped pool of {@code bench datacomp}, small: the same seed gives the same bytes, DataComp's
 * layout and array names, {@code ingest --format datacomp} accepts it, and the filters find its structure.
 */
class SyntheticDataCompTest {

    private static final int ROWS = 3000;
    private static final int DIM = 8;
    private static SparkSession spark;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("synthetic-datacomp-test");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static String p(String name) {
        return dir.resolve(name).toString();
    }

    private static List<String> shardFiles(String name) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve(name))) {
            return files.map(f -> f.getFileName().toString()).filter(f -> f.matches("\\d{8}\\.(parquet|npz)")).sorted().toList();
        }
    }

    private static void mgd(String... args) {
        assertEquals(0, Mgd.commandLine().execute(args), String.join(" ", args));
    }

    @Test
    void seededShardsIngestAndFilter() throws IOException {
        SyntheticDataComp pool = new SyntheticDataComp(ROWS, DIM, 3, 5);
        assertEquals(ROWS, pool.writeShards(spark, p("a"), false));
        pool.writeShards(spark, p("b"), false);
        new SyntheticDataComp(ROWS, DIM, 3, 6).writeShards(spark, p("other"), false);
        List<String> files = shardFiles("a");
        assertEquals(List.of("00000000.npz", "00000000.parquet", "00000001.npz", "00000001.parquet", "00000002.npz",
                "00000002.parquet"), files);
        assertEquals(files, shardFiles("b"));
        for (String f : files) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(f)), Files.readAllBytes(dir.resolve("b").resolve(f)),
                    f + ": the same seed writes the same bytes");
            assertFalse(java.util.Arrays.equals(Files.readAllBytes(dir.resolve("a").resolve(f)),
                    Files.readAllBytes(dir.resolve("other").resolve(f))), f + ": another seed, another pool");
        }
        assertTrue(Files.readString(dir.resolve("a/_metagrad.json")).contains(SyntheticDataComp.SHARDS_SCHEMA));

        // DataComp's layout: 32-hex unique uids, float32 b32_img / b32_txt row-aligned with the metadata
        List<Row> meta = spark.read().parquet(p("a/00000001.parquet")).collectAsList();
        assertEquals(ROWS / 3, meta.size());
        Map<String, NpyArray> arrays;
        try (InputStream in = Files.newInputStream(dir.resolve("a/00000001.npz"))) {
            arrays = Npy.readNpz(in);
        }
        assertEquals(Set.of("b32_img", "b32_txt"), arrays.keySet());
        for (NpyArray a : arrays.values()) {
            assertArrayEquals(new int[] {ROWS / 3, DIM}, a.shape());
        }
        float[][] centroids = pool.centroids();
        SyntheticDataComp.Item item = pool.item(ROWS / 3 + 7, -1, centroids);
        assertEquals(item.uid(), meta.get(7).getAs("uid"), "row 7 of shard 1 is pool row 1007");
        assertArrayEquals(item.image(), arrays.get("b32_img").row(7));
        assertArrayEquals(item.caption(), arrays.get("b32_txt").row(7));
        double score = meta.get(7).getAs("clip_b32_similarity_score");
        assertEquals(item.score(), score);

        List<Row> all = spark.read().parquet(p("a") + "/*.parquet").collectAsList();
        Set<String> uids = new HashSet<>();
        long clean = 0;
        long basic = 0;
        for (Row r : all) {
            String uid = r.getAs("uid");
            assertTrue(uid.matches("[0-9a-f]{32}"), uid);
            uids.add(uid);
            clean += "clean".equals(r.getAs("caption_kind")) ? 1 : 0;
            String text = r.getAs("text");
            long w = r.getAs("original_width");
            long h = r.getAs("original_height");
            basic += text.length() >= 6 && text.strip().split("\\s+").length >= 3 && Math.min(w, h) >= 200
                    && (double) Math.max(w, h) / Math.min(w, h) < 3 ? 1 : 0;
        }
        assertEquals(ROWS, uids.size(), "uids are unique");
        assertTrue(clean > 0.5 * ROWS && clean < 0.7 * ROWS, "about 60 % clean captions: " + clean);
        assertTrue(basic > 0.3 * ROWS && basic < 0.8 * ROWS, "DataComp's basic rule drops short captions and bad sizes: " + basic);

        // ingest --format datacomp accepts it; a filter runs on it and finds the clean pairs
        pool.writeTargets(spark, p("target"), 5, false);
        mgd("ingest", "--format", "datacomp", "--input", p("a"), "--output", p("pool"), "--keep-column", "caption_kind",
            "--require", "emb_b32_img,emb_b32_txt");
        assertEquals(ROWS, spark.read().parquet(p("pool")).count());
        mgd("featurize", "--input", p("pool"), "--output", p("features"), "--featurizer", "passthrough", "--embedding",
            "b32_img", "--target-embedding", "b32_txt");
        mgd("select", "--method", "basic", "--metadata", p("pool"), "--pool", p("features"), "--target", p("target"),
            "--output", p("runs/basic"));
        assertEquals(basic, spark.read().parquet(p("runs/basic/selection")).count());
        mgd("select", "--method", "clip-score", "--score-column", "clip_b32_similarity_score", "--keep-fraction", "0.3",
            "--metadata", p("pool"), "--pool", p("features"), "--target", p("target"), "--output", p("runs/clip-score"));
        long keptClean = spark.read().parquet(p("runs/clip-score/selection")).join(spark.read().parquet(p("pool")), "uid")
                .where("caption_kind = 'clean'").count();
        assertTrue(keptClean > 0.95 * 0.3 * ROWS, "the top 30 % by image–caption cosine are the clean pairs: " + keptClean);
    }
}
