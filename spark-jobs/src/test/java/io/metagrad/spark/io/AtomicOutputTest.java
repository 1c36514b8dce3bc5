package io.metagrad.spark.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.metagrad.spark.SparkSessions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
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

    /** Thrown by the fault hook: the process "dies" at that point. */
    private static final class Crash extends Error {
        Crash(String point) {
            super("crash at " + point);
        }
    }

    @Test
    void outputAppearsOnlyOnCommitAndIsNotOverwrittenByDefault(@TempDir Path dir) {
        String out = dir.resolve("table").toUri().toString();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        AtomicOutput output = AtomicOutput.to(out, hadoop, false);
        spark.range(10).write().parquet(output.stagingPath());
        TableManifest.of("test", "test/v1").writeTo(output.stagingPath(), hadoop);
        assertFalse(Files.exists(dir.resolve("table")));
        output.commit();
        assertEquals(10, spark.read().parquet(out).count());

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> AtomicOutput.to(out, hadoop, false));
        assertTrue(refused.getMessage().contains("--overwrite"));

        AtomicOutput again = AtomicOutput.to(out, hadoop, true);
        spark.range(3).write().parquet(again.stagingPath());
        TableManifest.of("test", "test/v1").writeTo(again.stagingPath(), hadoop);
        again.commit();
        assertEquals(3, spark.read().parquet(out).count());
        assertEquals(List.of("table"), names(dir), "no staging, backup or journal is left beside the output");
    }

    @Test
    void aDirectoryMetagradDidNotMakeIsNeverReplaced(@TempDir Path dir) throws IOException {
        Configuration hadoop = new Configuration();
        Path repo = dir.resolve("repo");
        Files.createDirectories(repo.resolve(".git"));
        Files.writeString(repo.resolve(".git/HEAD"), "ref: refs/heads/main\n");
        for (boolean overwrite : new boolean[] {false, true}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AtomicOutput.to(repo.toString(), hadoop, overwrite));
            assertTrue(e.getMessage().contains("was not made by metagrad"), e.getMessage());
        }
        assertTrue(Files.exists(repo.resolve(".git/HEAD")));

        Path file = dir.resolve("notes.txt");
        Files.writeString(file, "mine");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AtomicOutput.to(file.toString(), hadoop, true))
                .getMessage().contains("is a file"));
        assertEquals("mine", Files.readString(file));

        // An empty directory holds nothing to lose: it is replaced without --overwrite.
        Path empty = Files.createDirectories(dir.resolve("empty"));
        AtomicOutput out = AtomicOutput.to(empty.toString(), hadoop, false);
        stage(out, "v1", hadoop);
        out.commit();
        assertEquals(version("v1"), contents(empty));
    }

    @Test
    void stagingOfAKilledJobIsRemovedAndOneOfALiveJobIsKept(@TempDir Path dir) throws Exception {
        Configuration hadoop = new Configuration();
        long dead = deadPid();
        String host = java.net.InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9.-]", "-");
        Path killed = Files.createDirectories(dir.resolve(".out.staging-" + dead + "@" + host + "-0123456789ab/part"));
        Path live = Files.createDirectories(dir.resolve(".out.staging-" + ProcessHandle.current().pid() + "@" + host + "-ba9876543210"));
        Path unrelated = Files.createDirectories(dir.resolve(".other.staging-" + dead + "@" + host + "-0123456789ab"));
        AtomicOutput.to(dir.resolve("out").toString(), hadoop, false).abort();
        assertFalse(Files.exists(killed.getParent()), "the killed job's staging directory is removed");
        assertTrue(Files.exists(live), "a running job's staging directory is left alone");
        assertTrue(Files.exists(unrelated), "another destination's staging is not touched");
    }

    /** A crash at every point of a replace, on local disk: the old or the new output is always recoverable. */
    @TestFactory
    Stream<DynamicTest> aReplaceKilledAtAnyPointRollsForwardOnLocalDisk(@TempDir Path dir) {
        return crashTests(dir.toUri().toString(), new Configuration(), dir);
    }

    /** The same on an object store, where a rename is a copy and a delete per object. */
    @TestFactory
    Stream<DynamicTest> aReplaceKilledAtAnyPointRollsForwardOnAnObjectStore(@TempDir Path dir) {
        // Also crash inside one object's move, after its copy and before its delete.
        ObjectStoreFs.betweenCopyAndDelete = () -> CommitFaults.at("objstore.copied");
        return crashTests("objstore://" + dir.toUri().getPath(), ObjectStoreFs.fresh(), dir)
                .onClose(() -> ObjectStoreFs.betweenCopyAndDelete = () -> { });
    }

    private Stream<DynamicTest> crashTests(String base, Configuration hadoop, Path local) {
        List<String> points = recordPoints(base + "/probe", hadoop);
        assertTrue(points.contains("dir.journal-written"), points.toString());
        assertEquals(hadoop.get(Storage.OBJECT_STORE_SCHEMES) != null, points.contains("objstore.copied"), points.toString());
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            int at = i;
            tests.add(DynamicTest.dynamicTest("crash at #" + at + " " + points.get(at), () -> {
                String dest = base + "/case" + at;
                Path destLocal = local.resolve("case" + at);
                commitVersion(dest, "old", hadoop, false);
                AtomicOutput replace = AtomicOutput.to(dest, hadoop, true);
                stage(replace, "new", hadoop);
                int[] seen = {0};
                try (AutoCloseable hook = CommitFaults.install(p -> {
                    if (seen[0]++ == at) {
                        throw new Crash(p);
                    }
                })) {
                    replace.commit();
                    fail("no crash at " + points.get(at));
                } catch (Crash expected) {
                    // the process is gone here
                }
                boolean journaled = Files.exists(local.resolve(".case" + at + ".commit.json"));
                if (journaled) {
                    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                            () -> Inputs.requireTable(dest, "--input", hadoop));
                    assertTrue(refused.getMessage().contains("was interrupted"), "a reader refuses a half-committed table");
                } else {
                    Map<String, String> now = contents(destLocal);
                    assertTrue(now.equals(version("old")) || now.equals(version("new")),
                            "without a journal the output is complete: " + now);
                }
                // The next run that writes the output finishes the commit first.
                AtomicOutput.to(dest, hadoop, true).abort();
                boolean committed = journaled || at >= points.indexOf("dir.journal-written");
                assertEquals(version(committed ? "new" : "old"), contents(destLocal), "after recovery");
                for (String name : names(local)) {
                    assertFalse(name.startsWith(".case" + at + ".old-") || name.equals(".case" + at + ".commit.json"),
                            "left behind: " + name);
                }
            }));
        }
        return tests.stream();
    }

    /** The fault points an uninterrupted replace passes, in order. */
    private static List<String> recordPoints(String dest, Configuration hadoop) {
        commitVersion(dest, "old", hadoop, false);
        AtomicOutput replace = AtomicOutput.to(dest, hadoop, true);
        stage(replace, "new", hadoop);
        List<String> points = new ArrayList<>();
        try (AutoCloseable hook = CommitFaults.install(points::add)) {
            replace.commit();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return points;
    }

    private static void commitVersion(String dest, String v, Configuration hadoop, boolean overwrite) {
        AtomicOutput out = AtomicOutput.to(dest, hadoop, overwrite);
        stage(out, v, hadoop);
        out.commit();
    }

    /** Stages a tiny output: a manifest and two nested files that name the version. */
    private static void stage(AtomicOutput out, String v, Configuration hadoop) {
        for (Map.Entry<String, String> f : version(v).entrySet()) {
            AtomicFiles.writeText(out.stagingPath() + "/" + f.getKey(), f.getValue(), hadoop);
        }
    }

    private static Map<String, String> version(String v) {
        Map<String, String> files = new TreeMap<>();
        files.put(TableManifest.FILE_NAME, "{\"version\": \"" + v + "\"}\n");
        files.put("data/part-0", v + " rows\n");
        files.put("data/part-1", v + " more rows\n");
        return files;
    }

    /** Every file under {@code dir} (no checksum sidecars) and its text; empty when absent. */
    private static Map<String, String> contents(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".crc")).toList()) {
                out.put(dir.relativize(p).toString(), Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static List<String> names(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The id of a process that has ended. */
    static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }
}
