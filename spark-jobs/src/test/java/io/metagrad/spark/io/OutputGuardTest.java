package io.metagrad.spark.io;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputGuardTest {

    private static final Configuration HADOOP = new Configuration();

    private static String refusal(String output, String input) {
        return assertThrows(IllegalArgumentException.class, () -> OutputGuard.requireApart("curate",
                Map.of("--output", output), Map.of("--input", input), HADOOP)).getMessage();
    }

    @Test
    void anOutputMayNotEqualContainOrLieInsideAnInput(@TempDir Path dir) throws Exception {
        Path pool = Files.createDirectories(dir.resolve("pool"));
        assertTrue(refusal(pool.toString(), pool.toString()).contains("is the same path as the input --input"));
        assertTrue(refusal(pool + "/", "file://" + pool).contains("is the same path as"), "trailing slash and scheme do not matter");
        assertTrue(refusal(pool.resolve("sub").toString(), pool.toString()).contains("lies inside the input --input"));
        assertTrue(refusal(dir.toString(), pool.toString()).contains("contains the input --input"));
        assertTrue(refusal(dir.resolve("x/../pool").toString(), pool.toString()).contains("is the same path as"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), pool);
        assertTrue(refusal(link.resolve("out").toString(), pool.toString()).contains("lies inside"), "links are resolved");
        assertDoesNotThrow(() -> OutputGuard.requireApart("curate", Map.of("--output", dir.resolve("pool2").toString()),
                Map.of("--input", pool.toString()), HADOOP), "a sibling whose name starts the same is apart");
    }

    @Test
    void onlyAManifestMakesADirectoryMetagrads(@TempDir Path dir) throws Exception {
        assertEquals(OutputGuard.Kind.ABSENT, OutputGuard.kindOf(dir.resolve("none").toString(), HADOOP));
        assertEquals(OutputGuard.Kind.EMPTY_DIRECTORY, OutputGuard.kindOf(dir.toString(), HADOOP));
        Files.createDirectories(dir.resolve(".git"));
        assertEquals(OutputGuard.Kind.FOREIGN, OutputGuard.kindOf(dir.toString(), HADOOP), "dot-files are the user's");
        Files.writeString(dir.resolve(TableManifest.FILE_NAME), "{}");
        assertEquals(OutputGuard.Kind.OURS, OutputGuard.kindOf(dir.toString(), HADOOP));
        assertEquals(OutputGuard.Kind.FILE, OutputGuard.kindOf(dir.resolve(TableManifest.FILE_NAME).toString(), HADOOP));
    }
}
