package io.metagrad.spark.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.schema.Table;
import io.metagrad.spark.schema.TableSchemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestJobTest {

    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("ingest-test");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private Path write(String name, String... lines) {
        try {
            Path p = dir.resolve(name);
            Files.createDirectories(p.getParent());
            Files.write(p, List.of(lines));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String out(String name) {
        return dir.resolve(name).toString();
    }

    private static String jsonRow(int i) {
        return "{\"uid\": \"u" + i + "\", \"text\": \"item " + i + "\", \"label\": " + (i % 3)
                + ", \"emb_clip\": [" + i + ", 0.5, -1], \"pixels\": [0, 0.25, 1, 0.5]}";
    }

    private IllegalArgumentException failure(IngestParams p) {
        return assertThrows(IllegalArgumentException.class, () -> IngestJob.run(spark, p));
    }

    @Test
    void jsonlBecomesAShardedValidatedPool() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            lines.add(jsonRow(i));
            if (i == 10) {
                lines.add("   "); // blank lines are skipped
            }
        }
        write("in/part-0.jsonl", lines.toArray(new String[0]));
        IngestResult r = IngestJob.run(spark, IngestParams.of(List.of(out("in")), out("pool")).withShards(3));
        assertEquals(40, r.rows());
        assertEquals(3, r.files());
        assertEquals(List.of("clip"), r.embeddings());

        // Written: no DataComp metadata columns, since no row has any; read through pool/v1 they come back as nulls.
        assertEquals(List.of("uid", "text", "url", "image", "pixels", "label", "source", "emb_clip"),
                List.of(spark.read().parquet(out("pool")).columns()));
        Dataset<Row> pool = TableSchemas.read(spark, Table.POOL, out("pool"));
        assertEquals(List.of("uid", "text", "url", "image", "pixels", "label", "source", "clip_b32_similarity_score",
                "clip_l14_similarity_score", "original_width", "original_height", "sha256", "emb_clip"), List.of(pool.columns()));
        Row u7 = pool.filter("uid = 'u7'").first();
        assertEquals("item 7", u7.getAs("text"));
        assertEquals(1, (int) u7.getAs("label"));
        assertEquals(List.of(7f, 0.5f, -1f), u7.getList(u7.fieldIndex("emb_clip")));
        assertEquals(List.of(0f, 0.25f, 1f, 0.5f), u7.getList(4));
        assertNull(u7.getAs("url"));
        var manifest = TableManifest.read(out("pool"), spark.sparkContext().hadoopConfiguration()).orElseThrow();
        assertEquals("pool/v1", manifest.get("schema").getAsString());
        assertEquals(40, manifest.get("row_count").getAsLong());
        assertEquals("jsonl", manifest.get("format").getAsString());
    }

    @Test
    void duplicateUidNamesFileRowAndTheFirstOccurrence() {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            lines.add(jsonRow(i == 17 ? 3 : i));
        }
        write("dup/part-0.jsonl", lines.toArray(new String[0]));
        String message = failure(IngestParams.of(List.of(out("dup")), out("pool"))).getMessage();
        assertTrue(Pattern.matches("file:/.*/dup/part-0\\.jsonl row 17 field 'uid': duplicate of row 3 \\(1 bad row.*", message), message);
        assertFalse(Files.exists(dir.resolve("pool")), "nothing is written on failure");

        write("dup2/a.jsonl", jsonRow(1));
        write("dup2/b.jsonl", jsonRow(2), jsonRow(1));
        message = failure(IngestParams.of(List.of(out("dup2")), out("pool"))).getMessage();
        assertTrue(Pattern.matches(".*/b\\.jsonl row 2 field 'uid': duplicate of file:/.*/a\\.jsonl row 1 .*", message), message);
    }

    @Test
    void eachKindOfBadJsonlRowIsNamed() {
        // one quarantine run checks them all: each case's row must get this field and message
        String[][] cases = {
            {"{\"text\": \"no uid\"}", "uid", "missing (every pool row needs a uid)"},
            {"{\"uid\": 42}", "uid", "wrong type: expected string, got number 42"},
            {"{\"uid\": \" padded\"}", "uid", "has leading or trailing whitespace: \" padded\""},
            {"{\"uid\": \"x1\", \"label\": \"cat\"}", "label", "wrong type: expected int, got string \"cat\""},
            {"{\"uid\": \"x2\", \"label\": 2.5}", "label", "wrong type: expected int, got number 2.5"},
            {"{\"uid\": \"x3\", \"label\": -1}", "label", "is -1; class ids are in [0, 2147483647] (null means unlabeled)"},
            {"{\"uid\": \"x4\", \"emb_clip\": [1, NaN, 3]}", "emb_clip", "has NaN at index 1"},
            {"{\"uid\": \"x5\", \"emb_clip\": [1, 2, -Infinity]}", "emb_clip", "has -Infinity at index 2"},
            {"{\"uid\": \"x6\", \"emb_clip\": [1, \"NaN\", 3]}", "emb_clip", "has string \"NaN\" at index 1 where a number belongs"},
            {"{\"uid\": \"x7\", \"emb_clip\": [1, null, 3]}", "emb_clip", "has null at index 1"},
            {"{\"uid\": \"x8\", \"emb_clip\": []}", "emb_clip", "is an empty array"},
            {"{\"uid\": \"x9\", \"emb_clip\": [1, 2]}", "emb_clip", "has length 2, but file:"},
            {"{\"uid\": \"x10\", \"emb_clip\": 5}", "emb_clip", "wrong type: expected array<float>, got number 5"},
            {"{\"uid\": \"x11\", \"pixels\": [0, 255, 0, 0]}", "pixels", "has 255.0 at index 1; pixel intensities are in [0, 1]"},
            {"{\"uid\": \"x12\", \"image\": \"aGVsbG8=\"}", "image", "is not PNG or JPEG bytes (5 bytes)"},
            {"{\"uid\": \"x13\", \"image\": \"%%%\"}", "image", "is a string but not base64"},
            {"{\"uid\": \"x14\", \"text\": [\"a\"]}", "text", "wrong type: expected string, got array"},
            {"{\"uid\": \"x15\", \"lable\": 3}", "lable", "is not a pool/v1 field"},
            {"{\"uid\": \"x16\", \"uid\": \"y\"}", null, "not a JSON object: key 'uid' appears twice"},
            {"[1, 2]", null, "not a JSON object: the line holds a JSON array"},
            {"{\"uid\": \"x17\"", null, "not a JSON object: "},
            {"{\"uid\": \"x18\"} {}", null, "not a JSON object: text follows the object"},
            {jsonRow(1), "uid", "duplicate of row 1"},
        };
        List<String> lines = new ArrayList<>(List.of(jsonRow(1)));
        for (String[] c : cases) {
            lines.add(c[0]);
        }
        write("bad/x.jsonl", lines.toArray(new String[0]));
        IngestResult r = IngestJob.run(spark, IngestParams.of(List.of(out("bad")), out("pool")).withOnBad(OnBad.QUARANTINE));
        assertEquals(1, r.rows());
        assertEquals(cases.length, r.badRows());
        List<Row> bad = spark.read().parquet(out("pool_quarantine")).orderBy("row").collectAsList();
        for (int i = 0; i < cases.length; i++) {
            Row q = bad.get(i);
            String what = "row " + (i + 2) + " " + q.getAs("field") + ": " + q.getAs("error");
            assertEquals(i + 2, (long) q.getAs("row"), what);
            assertEquals(cases[i][1], q.getAs("field"), what);
            assertTrue(((String) q.getAs("error")).startsWith(cases[i][2]), what);
        }

        write("nan/x.jsonl", jsonRow(1), "{\"uid\": \"x\", \"emb_clip\": [1, NaN, 3]}");
        String message = failure(IngestParams.of(List.of(out("nan")), out("nan-pool"))).getMessage();
        assertTrue(Pattern.matches("file:/.*/nan/x\\.jsonl row 2 field 'emb_clip': has NaN at index 1 \\(1 bad row; "
                + "--on-bad quarantine sets bad rows aside\\)", message), message);
    }

    @Test
    void quarantineSetsBadRowsAsideAndCountsThem() {
        write("mixed/x.jsonl", jsonRow(1), "{\"uid\": \"u2\", \"label\": \"cat\"}", jsonRow(3), jsonRow(1), "not json",
                "{\"uid\": \"u6\", \"emb_clip\": [1, NaN, 2]}", jsonRow(7));
        IngestResult r = IngestJob.run(spark, IngestParams.of(List.of(out("mixed")), out("pool")).withOnBad(OnBad.QUARANTINE));
        assertEquals(3, r.rows());
        assertEquals(4, r.badRows());
        assertTrue(r.summary().contains("4 bad rows quarantined to "), r.summary());
        Dataset<Row> q = spark.read().parquet(out("pool_quarantine"));
        List<Row> rows = q.orderBy("row").collectAsList();
        assertEquals(List.of(2L, 4L, 5L, 6L), rows.stream().map(x -> (Long) x.getAs("row")).toList());
        assertEquals(List.of("label", "uid", "(none)", "emb_clip"),
                rows.stream().map(x -> x.getAs("field") == null ? "(none)" : (String) x.getAs("field")).toList());
        assertEquals("duplicate of row 1", rows.get(1).getAs("error"));
        assertEquals("u1", rows.get(1).getAs("uid"), "typed values of well-formed bad rows are kept");
        assertEquals("not json", rows.get(2).getAs("record"), "the original record is kept");
        assertEquals(3, spark.read().parquet(out("pool")).count());
        var manifest = TableManifest.read(out("pool_quarantine"), spark.sparkContext().hadoopConfiguration()).orElseThrow();
        assertEquals(4, manifest.get("row_count").getAsLong());
    }

    @Test
    void csvWithVectorsAndItsBadRows() {
        write("csv/a.csv", "uid,label,text,emb_t",
                "a,1,\"hello, world\",[1 2]",
                "b,,\"say \"\"hi\"\"\",\"3,4\"");
        IngestResult r = IngestJob.run(spark, IngestParams.of(List.of(out("csv/a.csv")), out("pool")));
        assertEquals(2, r.rows());
        Row b = spark.read().parquet(out("pool")).filter("uid = 'b'").first();
        assertEquals("say \"hi\"", b.getAs("text"));
        assertTrue(b.isNullAt(b.fieldIndex("label")));
        assertEquals(List.of(3f, 4f), b.getList(b.fieldIndex("emb_t")));

        write("csv2/a.csv", "uid,label,emb_t", "a,1,1 2", "b,x,1 2");
        String message = failure(IngestParams.of(List.of(out("csv2")), out("p2"))).getMessage();
        assertTrue(message.contains("a.csv row 2 field 'label': wrong type: expected int, got string \"x\""), message);
        write("csv3/a.csv", "uid,label,emb_t", "a,1,1 2", "b,2,1 inf");
        message = failure(IngestParams.of(List.of(out("csv3")), out("p3"))).getMessage();
        assertTrue(message.contains("a.csv row 2 field 'emb_t': has Infinity at index 1"), message);
        write("csv4/a.csv", "uid,label", "a,1", "b,2,extra");
        message = failure(IngestParams.of(List.of(out("csv4")), out("p4"))).getMessage();
        assertTrue(message.contains("a.csv row 2: malformed CSV line (the header has 2 fields)"), message);
        write("csv5/a.csv", "uid,colour", "a,red");
        message = failure(IngestParams.of(List.of(out("csv5")), out("p5"))).getMessage();
        assertTrue(message.contains("a.csv field 'colour': is not a pool/v1 field"), message);
        assertEquals(1, IngestJob.run(spark, IngestParams.of(List.of(out("csv5")), out("p5")).withIgnoreUnknown(true)).rows());
        write("csv6/a.csv", "text,label", "x,1");
        message = failure(IngestParams.of(List.of(out("csv6")), out("p6"))).getMessage();
        assertTrue(message.contains("a.csv field 'uid': no such column"), message);
    }

    @Test
    void parquetIsCheckedValueByValue() {
        spark.sql("select concat('p', id) as uid, cast(id as int) as label, array(cast(id as float), 1f) as emb_x, "
                + "cast(null as string) as url from range(10)").coalesce(1).write().parquet(out("pq"));
        IngestResult r = IngestJob.run(spark, IngestParams.of(List.of(out("pq")), out("pool")).withShards(2));
        assertEquals(10, r.rows());
        assertEquals(2, r.files());

        spark.sql("select concat('p', id) as uid, cast(id as string) as label from range(3)").coalesce(1)
                .write().parquet(out("pq-str"));
        String message = failure(IngestParams.of(List.of(out("pq-str")), out("p2"))).getMessage();
        assertTrue(Pattern.matches(".*part-00000.*\\.parquet row 1 field 'label': wrong type: expected int, got string \"0\".*", message), message);

        spark.sql("select concat('p', id) as uid, array(1f, if(id = 2, float('nan'), 0f)) as emb_x from range(4)")
                .coalesce(1).write().parquet(out("pq-nan"));
        message = failure(IngestParams.of(List.of(out("pq-nan")), out("p3"))).getMessage();
        assertTrue(message.contains(".parquet row 3 field 'emb_x': has NaN at index 1"), message);

        spark.sql("select if(id = 1, null, concat('p', id)) as uid from range(3)").coalesce(1).write().parquet(out("pq-null"));
        message = failure(IngestParams.of(List.of(out("pq-null")), out("p4"))).getMessage();
        assertTrue(message.contains(".parquet row 2 field 'uid': missing"), message);

        message = failure(IngestParams.of(List.of(out("pq")), out("p5")).withRequire(Set.of("text"))).getMessage();
        assertTrue(message.contains("field 'text': no such column, and --require asks for it"), message);
        spark.sql("select concat('p', id) as uid, if(id = 1, null, 'x') as text from range(3)").coalesce(1)
                .write().parquet(out("pq-text"));
        message = failure(IngestParams.of(List.of(out("pq-text")), out("p6")).withRequire(Set.of("text"))).getMessage();
        assertTrue(message.contains(".parquet row 2 field 'text': missing (required by --require)"), message);
    }

    @Test
    void refusesExistingOutputAndMissingInput() {
        write("one/x.jsonl", jsonRow(1));
        IngestJob.run(spark, IngestParams.of(List.of(out("one")), out("pool")));
        assertTrue(failure(IngestParams.of(List.of(out("one")), out("pool"))).getMessage().contains("--overwrite"));
        assertEquals(1, IngestJob.run(spark, IngestParams.of(List.of(out("one")), out("pool")).withOverwrite(true)).rows());
        UncheckedIOException missing = assertThrows(UncheckedIOException.class,
                () -> IngestJob.run(spark, IngestParams.of(List.of(out("nowhere")), out("p"))));
        assertTrue(missing.getCause() instanceof java.io.FileNotFoundException);
        assertThrows(IllegalArgumentException.class, () -> IngestParams.of(List.of("x"), "y").withShards(0));
        assertThrows(IllegalArgumentException.class, () -> IngestParams.of(List.of("x"), "y").withRequire(Set.of("colour")));
    }
}
