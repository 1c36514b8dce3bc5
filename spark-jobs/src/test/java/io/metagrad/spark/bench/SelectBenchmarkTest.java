package io.metagrad.spark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.spark.SparkSessions;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench select} on a tiny pool: its JSON line has every figure, each of a size that can be true. */
class SelectBenchmarkTest {

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("select-benchmark-test");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void oneStreamedStepIsMeasured(@TempDir Path dir) {
        Map<String, Object> line = SelectBenchmark.run(spark, new SelectBenchmark.Options(2048, 8, 3, 64,
                SelectBenchmark.Options.defaultTraining(1, 8), 2, dir.resolve("work").toString()));
        assertEquals(2048L, line.get("rows"));
        assertEquals(2048L * 8 * 4, line.get("pool_bytes"));
        assertTrue((Long) line.get("layout_bytes") > 2048L * 8 * 4, "the layout holds every item's features: " + line);
        assertTrue((Long) line.get("shard_bytes_read") > 0, line.toString());
        double rss = (Double) line.get("process_rss_peak_mb");
        double anon = (Double) line.get("process_anon_rss_peak_mb");
        assertTrue(anon > 0 && anon <= rss, "anonymous resident memory is part of the resident peak: " + line);
        assertTrue((Double) line.get("driver_heap_peak_mb") > 0 && (Double) line.get("mgd_step_seconds") > 0, line.toString());
        assertThrows(IllegalArgumentException.class, () -> SelectBenchmark.run(spark, new SelectBenchmark.Options(2048, 8, 3, 64,
                SelectBenchmark.Options.defaultTraining(1, 8), 2, dir.resolve("work").toString())), "an existing work directory");
    }
}
