package io.metagrad.spark.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.io.npy.NpyWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DataComp-style shards: metadata Parquet + an .npz of row-aligned embeddings per shard. */
class DataCompIngestTest {

    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("datacomp-ingest-test");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Writes shard {@code name}.parquet with {@code rows} DataComp-like metadata rows, uids from {@code first}. */
    private void metadata(String name, int first, int rows) throws IOException {
        Path tmp = dir.resolve("tmp-" + name);
        spark.sql("select md5(cast(id as string)) as uid, concat('http://example.com/', id, '.jpg') as url, "
                + "concat('caption ', id) as text, sha2(cast(id as string), 256) as sha256, "
                + "cast(id as double) / 100 as clip_b32_similarity_score, cast(id as float) / 50 as clip_l14_similarity_score, "
                + "cast(id + 100 as long) as original_width, cast(2 * id + 1 as int) as original_height, "
                + "concat('x', id) as exif from range(" + first + ", " + (first + rows) + ")")
                .coalesce(1).write().parquet(tmp.toString());
        try (Stream<Path> files = Files.list(tmp)) {
            Path part = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
            Files.createDirectories(dir.resolve("shards"));
            Files.move(part, dir.resolve("shards/" + name + ".parquet"));
        }
    }

    /** Image embedding of item i: (i, i/2, -i, 0.25) in float16; text embedding: (i + 0.5, 1) in float32. */
    private void embeddings(String name, int first, int rows, double poison) throws IOException {
        double[] img = new double[rows * 4];
        double[] txt = new double[rows * 2];
        for (int r = 0; r < rows; r++) {
            int i = first + r;
            System.arraycopy(new double[] {i, i / 2.0, -i, 0.25}, 0, img, r * 4, 4);
            System.arraycopy(new double[] {i + 0.5, 1}, 0, txt, r * 2, 2);
        }
        img[img.length - 2] = Double.isNaN(poison) || Double.isInfinite(poison) ? poison : img[img.length - 2];
        Map<String, byte[]> arrays = new LinkedHashMap<>();
        arrays.put("b32_img", NpyWriter.npy("<f2", new int[] {rows, 4}, false, img));
        arrays.put("b32_txt", NpyWriter.npy("<f4", new int[] {rows, 2}, false, txt));
        Files.write(dir.resolve("shards/" + name + ".npz"), NpyWriter.npz(arrays));
    }

    @Test
    void shardsBecomeAPoolWithNamedEmbeddings() throws IOException {
        metadata("00000000", 0, 3);
        embeddings("00000000", 0, 3, 0);
        metadata("00000001", 3, 2);
        embeddings("00000001", 3, 2, 0);
        IngestResult r = IngestJob.run(spark, IngestParams.of(List.of(dir.resolve("shards").toString()), dir.resolve("pool").toString())
                .withFormat(InputFormat.DATACOMP).withShards(1));
        assertEquals(5, r.rows());
        assertEquals(List.of("b32_img", "b32_txt"), r.embeddings());
        assertEquals(List.of("exif"), r.ignoredColumns(), "DataComp's metadata columns are pool fields; others are dropped");

        String uid4 = spark.sql("select md5('4')").first().getString(0);
        Row item = spark.read().parquet(dir.resolve("pool").toString()).filter("uid = '" + uid4 + "'").first();
        assertEquals(32, uid4.length());
        assertEquals("caption 4", item.getAs("text"));
        assertEquals("http://example.com/4.jpg", item.getAs("url"));
        assertEquals("datacomp:00000001", item.getAs("source"));
        assertEquals(List.of(4f, 2f, -4f, 0.25f), item.getList(item.fieldIndex("emb_b32_img")));
        assertEquals(List.of(4.5f, 1f), item.getList(item.fieldIndex("emb_b32_txt")));
        assertEquals(0.04, (double) item.getAs("clip_b32_similarity_score"), 0.0);
        assertEquals(0.08, (double) item.getAs("clip_l14_similarity_score"), 0.0);
        assertEquals(104, (int) item.getAs("original_width"));
        assertEquals(9, (int) item.getAs("original_height"));
        assertEquals(spark.sql("select sha2('4', 256)").first().getString(0), item.getAs("sha256"));
        org.apache.spark.sql.types.StructType schema = spark.read().parquet(dir.resolve("pool").toString()).schema();
        assertEquals(org.apache.spark.sql.types.DataTypes.DoubleType, schema.apply("clip_l14_similarity_score").dataType());
        assertEquals(org.apache.spark.sql.types.DataTypes.IntegerType, schema.apply("original_width").dataType());
    }

    @Test
    void badDataCompMetadataIsNamedByFileRowAndField() throws IOException {
        metadata("00000000", 0, 3);
        embeddings("00000000", 0, 3, 0);
        Path tmp = dir.resolve("tmp-bad");
        spark.sql("select md5('z') as uid, 'a caption' as text, cast(0 as long) as original_width from range(1)")
                .coalesce(1).write().parquet(tmp.toString());
        try (Stream<Path> files = Files.list(tmp)) {
            Files.move(files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow(),
                    dir.resolve("shards/00000001.parquet"));
        }
        embeddings("00000001", 0, 1, 0);
        String message = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> IngestJob.run(spark, IngestParams.of(List.of(dir.resolve("shards").toString()),
                        dir.resolve("bad-pool").toString()).withFormat(InputFormat.DATACOMP))).getMessage();
        assertTrue(message.matches("file:/.*/shards/00000001\\.parquet row 1 field 'original_width': .*pixels >= 1.*"), message);
    }

    @Test
    void brokenShardsAreNamedRowByRow() throws IOException {
        metadata("00000000", 0, 3);
        embeddings("00000000", 0, 3, 0);
        metadata("00000001", 3, 3);
        embeddings("00000001", 3, 2, 0); // one row short
        metadata("00000002", 6, 2); // no .npz at all
        metadata("00000003", 8, 2);
        embeddings("00000003", 8, 2, Double.NaN); // row 2 of the image array has a NaN
        IngestResult r = IngestJob.run(spark, IngestParams.of(List.of(dir.resolve("shards").toString()), dir.resolve("pool").toString())
                .withFormat(InputFormat.DATACOMP).withOnBad(OnBad.QUARANTINE));
        assertEquals(4, r.rows()); // shard 0 and row 1 of shard 3
        assertEquals(6, r.badRows());
        List<Row> bad = spark.read().parquet(dir.resolve("pool_quarantine").toString()).orderBy("file", "row").collectAsList();
        Row shortShard = bad.get(0);
        assertTrue(((String) shortShard.getAs("file")).endsWith("00000001.parquet"));
        assertEquals("emb_b32_img", shortShard.getAs("field"));
        assertTrue(((String) shortShard.getAs("error")).endsWith("00000001.npz: array 'b32_img' has shape [2, 4], but "
                + "00000001.parquet has 3 rows (expected [3, dim])"), (String) shortShard.getAs("error"));
        Row missing = bad.get(3);
        assertEquals("embeddings", missing.getAs("field"));
        assertTrue(((String) missing.getAs("error")).startsWith("no embeddings file "), (String) missing.getAs("error"));
        Row nan = bad.get(5);
        assertEquals(2L, (long) nan.getAs("row"));
        assertEquals("emb_b32_img", nan.getAs("field"));
        assertEquals("has NaN at index 2", nan.getAs("error"));
        assertTrue(((String) nan.getAs("record")).contains("\"text\":\"caption 9\""), (String) nan.getAs("record"));

        String message = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> IngestJob.run(spark, IngestParams.of(List.of(dir.resolve("shards").toString()),
                        dir.resolve("pool2").toString()).withFormat(InputFormat.DATACOMP))).getMessage();
        assertTrue(message.matches("file:/.*/shards/00000001\\.parquet row 1 field 'emb_b32_img': .*"), message);
        assertArrayEquals(new String[0], dir.resolve("pool2").toFile().exists() ? new String[] {"pool2 exists"} : new String[0]);
    }

    @Test
    void keptColumnsBecomeTypedPoolColumnsThatSelectionCanRankBy() throws IOException {
        metadata("00000000", 0, 3);
        embeddings("00000000", 0, 3, 0);
        Path tmp = dir.resolve("tmp-extra");
        spark.sql("select md5(cast(id as string)) as uid, concat('caption ', id) as text, cast(id * 3 as int) as face_count,"
                + " cast(id as float) / 8 as aesthetic, concat('x', id) as exif from range(3, 5)")
                .coalesce(1).write().parquet(tmp.toString());
        try (Stream<Path> files = Files.list(tmp)) {
            Files.move(files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow(),
                    dir.resolve("shards/00000001.parquet"));
        }
        embeddings("00000001", 3, 2, 0);
        List<String> shards = List.of(dir.resolve("shards").toString());
        // shard 0 has no face_count column: named, before any work, nothing written
        String message = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> IngestJob.run(spark, IngestParams.of(shards, dir.resolve("p0").toString()).withFormat(InputFormat.DATACOMP)
                        .withKeepColumns(List.of("exif", "face_count")))).getMessage();
        assertTrue(message.matches("file:/.*/shards/00000000\\.parquet field 'face_count': no such column \\(--keep-column"
                + " asks for it\\).*"), message);
        assertTrue(!Files.exists(dir.resolve("p0")));
        message = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> IngestParams.of(shards, "p").withKeepColumns(List.of("clip_l14_similarity_score"))).getMessage();
        assertTrue(message.contains("is a pool/v1 field name"), message);

        Files.delete(dir.resolve("shards/00000000.parquet"));
        Files.delete(dir.resolve("shards/00000000.npz"));
        IngestResult r = IngestJob.run(spark, IngestParams.of(shards, dir.resolve("pool").toString())
                .withFormat(InputFormat.DATACOMP).withShards(1).withKeepColumns(List.of("face_count", "aesthetic", "exif")));
        assertEquals(List.of(), r.ignoredColumns());
        // read the way every job reads a pool: the schema check accepts the marked columns, with their types
        org.apache.spark.sql.Dataset<Row> pool = io.metagrad.spark.schema.TableSchemas.read(spark,
                io.metagrad.spark.schema.Table.POOL, dir.resolve("pool").toString());
        org.apache.spark.sql.types.StructType schema = pool.schema();
        assertEquals(org.apache.spark.sql.types.DataTypes.LongType, schema.apply("face_count").dataType());
        assertEquals(org.apache.spark.sql.types.DataTypes.DoubleType, schema.apply("aesthetic").dataType());
        assertEquals(org.apache.spark.sql.types.DataTypes.StringType, schema.apply("exif").dataType());
        Row item = pool.filter("uid = '" + spark.sql("select md5('4')").first().getString(0) + "'").first();
        assertEquals(12L, (long) item.getAs("face_count"));
        assertEquals(0.5, (double) item.getAs("aesthetic"), 0.0);
        assertEquals("x4", item.getAs("exif"));
        String manifest = Files.readString(dir.resolve("pool/_metagrad.json"));
        assertTrue(manifest.contains("\"kept_columns\"") && manifest.contains("\"aesthetic\""), manifest);

        // select --method clip-score --score-column ranks by a kept column
        String features = dir.resolve("features").toString();
        List<Row> feats = new java.util.ArrayList<>();
        for (Row u : pool.select("uid").collectAsList()) {
            feats.add(org.apache.spark.sql.RowFactory.create(u.getString(0), List.of(1f, 0f), null, null, "test", "1", "{}", null));
        }
        io.metagrad.spark.io.FeatureTables.write(spark.createDataFrame(feats, io.metagrad.spark.schema.Table.FEATURES.schema()),
                features, false, io.metagrad.spark.io.TableManifest.of("test", io.metagrad.spark.schema.Table.FEATURES));
        io.metagrad.spark.select.SelectJob.Result top = io.metagrad.spark.select.FilterSelectJob.run(spark,
                io.metagrad.spark.select.SelectParams.builder(features, features, dir.resolve("top").toString()).keep(1).build(),
                new io.metagrad.spark.select.FilterParams(dir.resolve("pool").toString(), "aesthetic", 2),
                io.metagrad.spark.select.Method.CLIP_SCORE);
        assertEquals(List.of(spark.sql("select md5('4')").first().getString(0)),
                spark.read().parquet(top.selectionPath()).select("uid").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());

        // an unmarked extra column is still refused by the pool schema
        message = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> io.metagrad.spark.schema.TableSchemas.validate(pool.withColumn("other", org.apache.spark.sql.functions.lit(1.0)),
                        io.metagrad.spark.schema.Table.POOL, "p")).getMessage();
        assertTrue(message.contains("field 'other' is not a pool/v1 field"), message);

        // a non-DataComp input cannot keep columns
        message = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> IngestJob.run(spark, IngestParams.of(shards, dir.resolve("p1").toString()).withFormat(InputFormat.PARQUET)
                        .withIgnoreUnknown(true).withKeepColumns(List.of("exif")))).getMessage();
        assertTrue(message.contains("--keep-column keeps DataComp metadata columns: it needs --format datacomp"), message);
    }
}
