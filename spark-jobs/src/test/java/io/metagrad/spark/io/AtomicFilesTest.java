package io.metagrad.spark.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    private static final Configuration HADOOP = new Configuration();

    @Test
    void aReplacedFileNeverFailsAChecksumOfItsOldVersion(@TempDir Path dir) throws IOException {
        // The failure of issue 14: a file first written through Hadoop's checksummed local filesystem
        // (which keeps .state.json.crc beside it) and then replaced.
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir.resolve("state.json").toUri());
        LocalFileSystem checksummed = FileSystem.getLocal(HADOOP);
        try (OutputStream o = checksummed.create(file, true)) {
            o.write("{\"completed_step\": 1}".getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(Files.exists(dir.resolve(".state.json.crc")));
        AtomicFiles.writeText(file.toString(), "{\"completed_step\": 2, \"longer\": true}", HADOOP);
        assertFalse(Files.exists(dir.resolve(".state.json.crc")), "the stale checksum is gone");
        try (InputStream in = checksummed.open(file)) { // a checksummed reader is fine too
            assertEquals("{\"completed_step\": 2, \"longer\": true}", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals(List.of("state.json"), names(dir));
    }

    @Test
    void aWriterKilledBeforeTheRenameLeavesTheOldVersionAndTheNextWriteCleansUp(@TempDir Path dir) throws Exception {
        String file = dir.resolve("metrics.jsonl").toString();
        AtomicFiles.writeText(file, "step 0\n", HADOOP);
        try (AutoCloseable hook = CommitFaults.install(p -> {
            if (p.equals("file.temp-written")) {
                throw new IllegalStateException("killed");
            }
        })) {
            assertThrows(IllegalStateException.class, () -> AtomicFiles.writeText(file, "step 0\nstep 1\n", HADOOP));
        }
        assertEquals(Optional.of("step 0\n"), AtomicFiles.readText(file, HADOOP));
        assertEquals(2, names(dir).size(), "a hidden temporary is left: " + names(dir));
        AtomicFiles.writeText(file, "step 0\nstep 1\n", HADOOP);
        assertEquals(List.of("metrics.jsonl"), names(dir));
        assertEquals(Optional.of("step 0\nstep 1\n"), AtomicFiles.readText(file, HADOOP));
    }

    @Test
    void readsAndWritesOnAnObjectStoreAreSinglePuts(@TempDir Path dir) {
        Configuration hadoop = ObjectStoreFs.fresh();
        String file = "objstore://" + dir.toUri().getPath() + "run/state.json";
        assertEquals(Storage.OBJECT_STORE, Storage.locate(file, hadoop).storage());
        assertEquals(Optional.empty(), AtomicFiles.read(new org.apache.hadoop.fs.Path(file), hadoop));
        AtomicFiles.write(file, new byte[] {1, 2, 3}, hadoop);
        AtomicFiles.write(file, new byte[] {4, 5}, hadoop);
        assertArrayEquals(new byte[] {4, 5}, AtomicFiles.read(new org.apache.hadoop.fs.Path(file), hadoop).orElseThrow());
        assertEquals(List.of("state.json"), names(dir.resolve("run")), "no temporary: the object is written in place");
        assertEquals(Storage.LOCAL, Storage.locate(dir.toString(), hadoop).storage());
    }

    private static List<String> names(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
