package io.metagrad.spark.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.spark.io.AtomicOutput;
import io.metagrad.spark.io.TableManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A report written inside a staged output names the run where it will be once committed. */
class ReportNamesTest {

    @Test
    void stagingSegmentsAreNamedAsTheirOutputs() {
        assertEquals("file:/tmp/runs/demo/select", AtomicOutput.committedPath("file:/tmp/runs/.demo.staging-9712@vm-757abc06d343/select"));
        assertEquals("/a/b", AtomicOutput.committedPath("/a/.b.staging-1@host.local-0f3a"));
        assertEquals("/a/.b.staging/c", AtomicOutput.committedPath("/a/.b.staging/c"), "only staging names in full");
        assertEquals("s3a://bucket/x", AtomicOutput.committedPath("s3a://bucket/x"));
    }

    @Test
    void theReportOfAStagedRunNamesItsCommittedPath(@TempDir Path dir) throws Exception {
        Path staged = Files.createDirectories(dir.resolve(".demo.staging-42@host-abc123").resolve("select"));
        TableManifest.of("select:random", "baseline_run/v1").params(Map.of("method", "random")).writeTo(staged.toString(),
                new Configuration());
        String html = RunReport.render(staged.toString(), staged.toString(), new Configuration());
        assertTrue(html.contains("<title>metagrad baseline selection (random): " + dir.resolve("demo/select") + "</title>"), html);
        assertFalse(html.contains(".staging-"), html);
    }
}
