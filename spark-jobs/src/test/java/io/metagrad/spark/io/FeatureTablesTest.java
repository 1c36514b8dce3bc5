package io.metagrad.spark.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.schema.Table;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureTablesTest {

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("feature-tables-test");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static Row row(String uid, float[] features, Integer label, float[] target) {
        return RowFactory.create(uid, boxed(features), label, target == null ? null : boxed(target),
                "test", "1", "{}", null);
    }

    private static List<Float> boxed(float[] v) {
        Float[] b = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = v[i];
        }
        return Arrays.asList(b);
    }

    private static String write(Path dir, String name, List<Row> rows) {
        String path = dir.resolve(name).toUri().toString();
        FeatureTables.write(spark.createDataFrame(rows, Table.FEATURES.schema()).coalesce(1), path, false,
                TableManifest.of("test", Table.FEATURES));
        return path;
    }

    @Test
    void readsWhatWasWritten(@TempDir Path dir) {
        String path = write(dir, "ok", List.of(
                row("a", new float[] {1, 2}, 3, null),
                row("b", new float[] {0.5f, -1}, null, null)));
        FeatureMatrix m = FeatureTables.read(spark, path);
        assertArrayEquals(new String[] {"a", "b"}, m.uids());
        assertArrayEquals(new double[] {1, 2}, m.features()[0]);
        assertArrayEquals(new double[] {0.5, -1}, m.features()[1]);
        assertArrayEquals(new int[] {3, -1}, m.labels());
        assertNull(m.targets());
        assertEquals(2, m.dim());
        assertEquals(4, m.classes());
        var manifest = TableManifest.read(path, spark.sparkContext().hadoopConfiguration()).orElseThrow();
        assertEquals(2, manifest.get("row_count").getAsLong());
        assertEquals("features/v1", manifest.get("schema").getAsString());
        assertEquals("test", manifest.get("stage").getAsString());
    }

    @Test
    void readsTargetsAndTablesWithoutOptionalColumns(@TempDir Path dir) {
        String path = write(dir, "t", List.of(row("a", new float[] {1}, 0, new float[] {0.25f, 0.75f})));
        assertArrayEquals(new double[] {0.25, 0.75}, FeatureTables.read(spark, path).targets()[0]);

        StructType minimal = new StructType().add("uid", DataTypes.StringType, false)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType), false);
        String bare = dir.resolve("bare").toUri().toString();
        spark.createDataFrame(List.of(RowFactory.create("x", boxed(new float[] {7}))), minimal).write().parquet(bare);
        FeatureMatrix m = FeatureTables.read(spark, bare);
        assertArrayEquals(new int[] {-1}, m.labels());
        assertNull(m.targets());
    }

    @Test
    void namesFileRowAndFieldOfBadRows(@TempDir Path dir) {
        String dup = write(dir, "dup", List.of(row("a", new float[] {1}, 0, null), row("b", new float[] {1}, 0, null),
                row("a", new float[] {2}, 1, null)));
        String message = assertThrows(IllegalArgumentException.class, () -> FeatureTables.read(spark, dup)).getMessage();
        assertTrue(message.matches(".*part-00000.*row 3 field 'uid' 'a' duplicates .*part-00000.* row 1"), message);

        String ragged = write(dir, "ragged", List.of(row("a", new float[] {1, 2}, 0, null), row("b", new float[] {1}, 0, null)));
        message = assertThrows(IllegalArgumentException.class, () -> FeatureTables.read(spark, ragged)).getMessage();
        assertTrue(message.contains("row 2 field 'features' has length 1, but ") && message.contains("row 1 has 2"), message);

        String nan = write(dir, "nan", List.of(row("a", new float[] {1, Float.NaN}, 0, null)));
        message = assertThrows(IllegalArgumentException.class, () -> FeatureTables.read(spark, nan)).getMessage();
        assertTrue(message.contains("row 1 field 'features' has NaN at index 1"), message);

        String inf = write(dir, "inf", List.of(row("a", new float[] {1}, 0, new float[] {Float.POSITIVE_INFINITY})));
        message = assertThrows(IllegalArgumentException.class, () -> FeatureTables.read(spark, inf)).getMessage();
        assertTrue(message.contains("field 'target' has Infinity at index 0"), message);

        String partial = write(dir, "partial", List.of(row("a", new float[] {1}, 0, new float[] {1}), row("b", new float[] {1}, 0, null)));
        message = assertThrows(IllegalArgumentException.class, () -> FeatureTables.read(spark, partial)).getMessage();
        assertTrue(message.contains("row 2 field 'target' is null"), message);

        String negative = write(dir, "neg", List.of(row("a", new float[] {1}, -2, null)));
        message = assertThrows(IllegalArgumentException.class, () -> FeatureTables.read(spark, negative)).getMessage();
        assertTrue(message.contains("field 'label' is -2"), message);
    }

    @Test
    void rejectsWrongSchemas(@TempDir Path dir) {
        String doubles = dir.resolve("doubles").toUri().toString();
        spark.sql("select 'a' as uid, array(cast(1 as double)) as features").write().parquet(doubles);
        String message = assertThrows(IllegalArgumentException.class, () -> FeatureTables.read(spark, doubles)).getMessage();
        assertTrue(message.contains("field 'features' has type array<double>; features/v1 requires array<float>"), message);

        String missing = dir.resolve("missing").toUri().toString();
        spark.sql("select 'a' as uid, 3 as label").write().parquet(missing);
        message = assertThrows(IllegalArgumentException.class, () -> FeatureTables.read(spark, missing)).getMessage();
        assertTrue(message.contains("field 'features' is missing"), message);

        String extra = dir.resolve("extra").toUri().toString();
        spark.sql("select 'a' as uid, array(cast(1 as float)) as features, 2 as weight").write().parquet(extra);
        message = assertThrows(IllegalArgumentException.class, () -> FeatureTables.read(spark, extra)).getMessage();
        assertTrue(message.contains("field 'weight' is not a features/v1 field"), message);

        String pool = dir.resolve("pool").toUri().toString();
        spark.sql("select 'a' as uid, array(cast(1 as float)) as features").write().parquet(pool);
        TableManifest.of("ingest", Table.POOL).writeTo(pool, spark.sparkContext().hadoopConfiguration());
        message = assertThrows(IllegalArgumentException.class, () -> FeatureTables.read(spark, pool)).getMessage();
        assertTrue(message.contains("is pool/v1") && message.contains("expected features/v1 or targets/v1"), message);
    }
}
