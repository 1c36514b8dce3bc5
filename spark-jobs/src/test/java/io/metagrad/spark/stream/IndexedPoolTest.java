package io.metagrad.spark.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.demo.SyntheticSample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexedPoolTest {

    private static SparkSession spark;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("indexed-pool-test");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static String write(String name, List<Row> rows, int files) {
        String path = dir.resolve(name).toString();
        spark.createDataFrame(rows, SyntheticSample.FEATURES).repartition(files).write().parquet(path);
        return path;
    }

    private static List<Row> rows(int n) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(RowFactory.create(String.format("u%04d", (i * 37) % n), new Float[] {i * 0.5f, (float) -i}, i % 3, null, "t", "1", "{}"));
        }
        return rows;
    }

    @Test
    void rowsAreNumberedInUidOrderAndTheFingerprintIgnoresHowTheTableIsSplit() {
        try (IndexedPool one = IndexedPool.of(spark, write("one", rows(50), 1));
                IndexedPool three = IndexedPool.of(spark, write("three", rows(50), 3))) {
            assertEquals(one.fingerprint(), three.fingerprint());
            assertEquals(50, three.size());
            assertEquals(2, three.width());
            assertEquals(2, three.maxLabel());
            List<Row> ordered = three.rows().orderBy("row").collectAsList();
            for (int i = 0; i < ordered.size(); i++) {
                assertEquals(i, ordered.get(i).getInt(0));
                assertEquals(String.format("u%04d", i), ordered.get(i).getString(1));
            }
        }
        List<Row> changed = rows(50);
        changed.set(7, RowFactory.create("u%04d".formatted(7 * 37 % 50), new Float[] {3.5f, -7.000001f}, 1, null, "t", "1", "{}"));
        try (IndexedPool a = IndexedPool.of(spark, write("a", rows(50), 2));
                IndexedPool b = IndexedPool.of(spark, write("b", changed, 2))) {
            assertTrue(!a.fingerprint().equals(b.fingerprint()), "one changed value changes the fingerprint");
        }
    }

    @Test
    void aDuplicateUidIsNamedWithBothRowsWhereverItFalls() {
        List<Row> rows = rows(40);
        rows.add(RowFactory.create("u0013", new Float[] {1f, 2f}, 0, null, "t", "1", "{}"));
        String path = write("dup", rows, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IndexedPool.of(spark, path));
        assertTrue(e.getMessage().matches(".*row \\d+ field 'uid' 'u0013' duplicates .*row \\d+"), e.getMessage());
    }
}
