package io.metagrad.spark.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.spark.SparkSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicOutputTest {

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("atomic-output-test");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void outputAppearsOnlyOnCommitAndIsNotOverwrittenByDefault(@TempDir Path dir) {
        String out = dir.resolve("table").toUri().toString();
        AtomicOutput output = AtomicOutput.to(out, spark.sparkContext().hadoopConfiguration(), false);
        spark.range(10).write().parquet(output.stagingPath());
        assertFalse(Files.exists(dir.resolve("table")));
        output.commit();
        assertEquals(10, spark.read().parquet(out).count());

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> AtomicOutput.to(out, spark.sparkContext().hadoopConfiguration(), false));
        assertTrue(refused.getMessage().contains("--overwrite"));

        AtomicOutput again = AtomicOutput.to(out, spark.sparkContext().hadoopConfiguration(), true);
        spark.range(3).write().parquet(again.stagingPath());
        again.commit();
        assertEquals(3, spark.read().parquet(out).count());
    }
}
