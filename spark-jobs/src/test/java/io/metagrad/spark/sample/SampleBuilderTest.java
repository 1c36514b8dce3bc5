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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample recipe on small synthetic IDX files (the real data set is not needed). */
class SampleBuilderTest {

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("sample-test");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static final int SIDE = 4;

    /** Writes IDX files with {@code perClass} random 4×4 images of each class 0–9. */
    private static void idx(Path dir, String prefix, int perClass, long seed) throws IOException {
        Random r = new Random(seed);
        int n = perClass * 10;
        try (DataOutputStream images = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(dir.resolve(prefix + "-images-idx3-ubyte.gz"))));
                DataOutputStream labels = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(dir.resolve(prefix + "-labels-idx1-ubyte.gz"))))) {
            images.writeInt(0x803);
            images.writeInt(n);
            images.writeInt(SIDE);
            images.writeInt(SIDE);
            labels.writeInt(0x801);
            labels.writeInt(n);
            for (int i = 0; i < n; i++) {
                byte[] pixels = new byte[SIDE * SIDE];
                r.nextBytes(pixels);
                images.write(pixels);
                labels.writeByte(i % 10);
            }
        }
    }

    private static SampleParams params(Path in, Path out) {
        return SampleParams.defaults(in.toString(), out.toString()).withSizes(40, 2, 3);
    }

    private static int[] labels(Path in, String prefix) throws IOException {
        return Idx.labels(in.resolve(prefix + "-labels-idx1-ubyte.gz"));
    }

    @Test
    void theRecipeMakesTheDocumentedNoise(@TempDir Path in) throws IOException {
        idx(in, "train", 10, 1);
        idx(in, "t10k", 5, 2);
        SampleParams p = params(in, in.resolve("out"));
        List<SamplePlan.Item> plan = SamplePlan.make(labels(in, "train"), labels(in, "t10k"), p);

        Map<String, Long> counts = new TreeMap<>(plan.stream().collect(Collectors.groupingBy(
                i -> i.split() + "/" + i.source(), Collectors.counting())));
        assertEquals(Map.of("pool/clean", 19L, "pool/flipped", 13L, "pool/off-class", 4L, "pool/duplicate", 4L,
                "target/target", 16L, "test/test", 24L), counts);
        Set<String> uids = new HashSet<>();
        Set<Integer> targetImages = new HashSet<>();
        Map<Integer, SamplePlan.Item> poolOriginals = new HashMap<>();
        for (SamplePlan.Item i : plan) {
            assertTrue(uids.add(i.uid()) && i.uid().matches("[0-9a-f]{32}"), i.uid());
            switch (i.source()) {
                case "clean", "target", "test" -> assertEquals(i.trueClass(), i.label());
                case "flipped" -> assertNotEquals(i.trueClass(), i.label());
                case "off-class" -> assertTrue(i.trueClass() >= 8 && i.label() < 8);
                default -> { }
            }
            assertTrue(i.label() >= 0 && i.label() < SampleParams.TASK_CLASSES);
            if (i.split().equals("target")) {
                targetImages.add(i.image());
            }
            if (i.split().equals("pool") && !i.source().equals("duplicate")) {
                poolOriginals.put(i.image(), i);
            }
        }
        for (SamplePlan.Item i : plan) {
            if (i.split().equals("pool")) {
                assertTrue(!targetImages.contains(i.image()), "target images stay out of the pool");
            }
            if (i.source().equals("duplicate")) {
                SamplePlan.Item original = poolOriginals.get(i.image());
                assertEquals(original.label(), i.label(), "a duplicate copies its original's image and label");
            }
        }
        assertEquals(plan, SamplePlan.make(labels(in, "train"), labels(in, "t10k"), p), "deterministic");
        assertNotEquals(plan, SamplePlan.make(labels(in, "train"), labels(in, "t10k"), p.withSeed(18)));
    }

    @Test
    void buildWritesThreeValidatedPoolTables(@TempDir Path in) throws IOException {
        idx(in, "train", 10, 1);
        idx(in, "t10k", 5, 2);
        Path out = in.resolve("out");
        Map<String, Long> rows = SampleBuilder.build(spark, params(in, out));
        assertEquals(Map.of("pool", 40L, "target", 16L, "test", 24L), rows);
        assertTrue(Files.exists(out.resolve("build.json")));

        Row any = TableSchemas.read(spark, Table.POOL, out.resolve("test").toString()).first();
        assertEquals(SIDE * SIDE, any.getList(any.fieldIndex("pixels")).size());
        // the pixels are the IDX bytes / 255 of the planned image
        List<SamplePlan.Item> plan = SamplePlan.make(labels(in, "train"), labels(in, "t10k"), params(in, out));
        SamplePlan.Item item = plan.stream().filter(i -> i.uid().equals(any.getAs("uid"))).findFirst().orElseThrow();
        float[] expected = Idx.images(in.resolve("t10k-images-idx3-ubyte.gz")).pixels(item.image());
        List<Float> actual = any.getList(any.fieldIndex("pixels"));
        float[] got = new float[actual.size()];
        for (int i = 0; i < got.length; i++) {
            got[i] = actual.get(i);
        }
        assertArrayEquals(expected, got);
        assertEquals(item.label(), (int) any.getAs("label"));
    }

    /** The sample shipped in the repository is what its README says. */
    @Test
    void theShippedSampleIsValid() {
        Path sample = Path.of("..", "data", "sample");
        Map<String, Long> expected = Map.of("pool", 2000L, "target", 200L, "test", 1000L);
        for (Map.Entry<String, Long> split : expected.entrySet()) {
            var table = TableSchemas.read(spark, Table.POOL, sample.resolve(split.getKey()).toString());
            assertEquals(split.getValue(), table.count(), split.getKey());
        }
        Map<String, Long> sources = new TreeMap<>();
        for (Row r : TableSchemas.read(spark, Table.POOL, sample.resolve("pool").toString()).groupBy("source").count().collectAsList()) {
            sources.put(r.getString(0), r.getLong(1));
        }
        assertEquals(Map.of("clean", 960L, "flipped", 640L, "duplicate", 200L, "off-class", 200L), sources);
    }
}
