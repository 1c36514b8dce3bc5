package io.metagrad.spark.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.schema.Table;
import io.metagrad.spark.schema.TableSchemas;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLIP-style sample on small synthetic IDX files (the real data set is not needed). */
class ClipSampleBuilderTest {

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("sample-clip-test");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Writes IDX files with {@code perClass} random 4×4 images of each class 0–9. */
    private static void idx(Path dir, String prefix, int perClass, long seed) throws IOException {
        Random r = new Random(seed);
        int n = perClass * 10;
        try (DataOutputStream images = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(dir.resolve(prefix + "-images-idx3-ubyte.gz"))));
                DataOutputStream labels = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(dir.resolve(prefix + "-labels-idx1-ubyte.gz"))))) {
            images.writeInt(0x803);
            images.writeInt(n);
            images.writeInt(4);
            images.writeInt(4);
            labels.writeInt(0x801);
            labels.writeInt(n);
            for (int i = 0; i < n; i++) {
                byte[] pixels = new byte[16];
                r.nextBytes(pixels);
                images.write(pixels);
                labels.writeByte(i % 10);
            }
        }
    }

    @Test
    void thePlanCaptionsAsDocumentedAndIsDeterministic() {
        int[] train = new int[400];
        int[] test = new int[100];
        for (int i = 0; i < train.length; i++) {
            train[i] = i % 10;
        }
        for (int i = 0; i < test.length; i++) {
            test[i] = i % 10;
        }
        ClipSampleParams p = ClipSampleParams.defaults("in", "out").withSizes(100, 2, 3);
        List<ClipSamplePlan.Item> plan = ClipSamplePlan.make(train, test, p);
        assertEquals(plan, ClipSamplePlan.make(train, test, p));
        assertNotEquals(plan, ClipSamplePlan.make(train, test, p.withSeed(18)));

        Map<String, Long> pool = plan.stream().filter(i -> i.split().equals("pool"))
                .collect(Collectors.groupingBy(ClipSamplePlan.Item::source, TreeMap::new, Collectors.counting()));
        assertEquals(Map.of("clean", 60L, "wrong-caption", 30L, "off-topic", 10L), pool);
        assertEquals(20, plan.stream().filter(i -> i.split().equals("target")).count());
        assertEquals(30, plan.stream().filter(i -> i.split().equals("test")).count());
        for (ClipSamplePlan.Item item : plan) {
            String own = Captions.NAMES[item.label()];
            switch (item.source()) {
                case "clean" -> assertTrue(item.text().contains(own), item.toString());
                case "wrong-caption" -> assertTrue(!item.text().contains(own) && List.of(Captions.NAMES).stream()
                        .anyMatch(item.text()::contains), item.toString());
                case "off-topic" -> assertTrue(Captions.OFF_TOPIC.contains(item.text()), item.toString());
                default -> throw new AssertionError(item.toString());
            }
            assertEquals(item.fromTest(), item.split().equals("test"));
        }
        assertEquals(plan.size(), plan.stream().map(ClipSamplePlan.Item::uid).distinct().count());
    }

    @Test
    void writesSchemaValidTablesWithCaptionEmbeddingsAndPrompts(@TempDir Path in, @TempDir Path out) throws IOException {
        idx(in, "train", 4, 1);
        idx(in, "t10k", 1, 2);
        ClipSampleParams p = ClipSampleParams.defaults(in.toString(), out.resolve("s").toString()).withSizes(10, 1, 1);
        Map<String, Long> rows = ClipSampleBuilder.build(spark, p);
        assertEquals(Map.of("pool", 10L, "target", 10L, "test", 10L, "prompts", 10L), rows);

        List<Row> pool = TableSchemas.read(spark, Table.POOL, out.resolve("s/pool").toString())
                .select("uid", "text", "emb_caption", "source").orderBy("uid").collectAsList();
        for (Row r : pool) {
            assertEquals(384, r.getList(2).size(), "MiniLM caption embedding on " + r);
        }
        // the same caption gets the same embedding; the encoder's output is unit length
        Row a = pool.get(0);
        double norm = a.<Float>getList(2).stream().mapToDouble(x -> x * x).sum();
        assertEquals(1.0, norm, 1e-3);

        List<Row> prompts = TableSchemas.read(spark, Table.CLASS_PROMPTS, out.resolve("s/prompts").toString())
                .orderBy("class_id").collectAsList();
        assertEquals(10, prompts.size());
        assertEquals("a photo of a sneaker", prompts.get(7).getString(1));
        assertEquals(384, prompts.get(7).getList(2).size());
        assertTrue(Files.isRegularFile(out.resolve("s/prompts/_metagrad.json")));
        assertTrue(Files.readString(out.resolve("s/build.json")).contains("\"wrong-caption\""));

        // deterministic: a second build gives the same pool rows
        ClipSampleBuilder.build(spark, p.withOverwrite(true));
        List<Row> again = TableSchemas.read(spark, Table.POOL, out.resolve("s/pool").toString())
                .select("uid", "text", "emb_caption", "source").orderBy("uid").collectAsList();
        assertEquals(pool.size(), again.size());
        for (int i = 0; i < pool.size(); i++) {
            assertEquals(pool.get(i).getString(1), again.get(i).getString(1));
            assertArrayEquals(pool.get(i).<Float>getList(2).toArray(), again.get(i).<Float>getList(2).toArray());
        }
    }
}
