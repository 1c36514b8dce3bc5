package io.metagrad.spark.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.spark.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextSampleBuilderTest {

    @TempDir
    Path dir;

    private Path arff(String name, int n) throws IOException {
        StringBuilder b = new StringBuilder("@relation r\n@attribute Text string\n@attribute class-att {0,1}\n@data\n");
        for (int i = 0; i < n; i++) {
            b.append("'DOC ").append(i).append(" wheat &lt;X>\\nline two',").append(i % 3 == 0 ? 1 : 0).append('\n');
        }
        return Files.writeString(dir.resolve(name), b.toString());
    }

    @Test
    void writesJsonlSplitsAndRefusesExistingOutput() throws IOException {
        Path out = dir.resolve("out");
        TextSampleParams p = new TextSampleParams(arff("train.arff", 60).toString(), arff("test.arff", 9).toString(),
                out.toString(), 1, 40, 8, 0.25, 0.3, 0.1, false);
        assertEquals(Map.of("pool", 40, "target", 8, "test", 9), TextSampleBuilder.build(p));
        List<String> pool = Files.readAllLines(out.resolve("pool/part-00000.jsonl"));
        assertEquals(40, pool.size());
        var first = Json.parse(Files.readAllLines(out.resolve("test/part-00000.jsonl")).get(0)).getAsJsonObject();
        assertEquals("DOC 0 wheat <X>\nline two", first.get("text").getAsString());
        assertEquals(1, first.get("label").getAsInt());
        assertEquals("clean", first.get("source").getAsString());
        assertEquals(4, pool.stream().filter(l -> l.contains("\"off-domain\"")).count());
        assertTrue(Files.isRegularFile(out.resolve("build.json")));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TextSampleBuilder.build(p));
        assertTrue(e.getMessage().contains("--overwrite"), e.getMessage());
        try (var siblings = Files.list(dir)) {
            assertFalse(siblings.anyMatch(s -> s.getFileName().toString().contains("staging")), "staging left behind");
        }
    }
}
