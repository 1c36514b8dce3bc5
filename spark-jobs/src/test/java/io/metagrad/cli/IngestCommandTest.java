package io.metagrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.spark.SparkSessions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code mgd ingest} end to end through the command line: exit codes and messages. */
class IngestCommandTest {

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("ingest-command-test");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private record Run(int code, String err) {}

    private static Run mgd(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = Mgd.commandLine();
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, err.toString());
    }

    @Test
    void exitCodesAndMessages(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("a.jsonl"), List.of("{\"uid\": \"a\", \"label\": 1}", "{\"uid\": \"b\", \"label\": \"x\"}"));
        String in = dir.resolve("a.jsonl").toString();

        Run bad = mgd("ingest", "--input", in, "--output", dir.resolve("pool").toString());
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("ingest: file:" + in + " row 2 field 'label': wrong type: expected int, got string \"x\""), bad.err());

        Run quarantined = mgd("ingest", "--input", in, "--output", dir.resolve("pool").toString(), "--on-bad", "quarantine",
                "--shards", "1");
        assertEquals(0, quarantined.code(), quarantined.err());
        assertEquals(1, spark.read().parquet(dir.resolve("pool").toString()).count());
        assertEquals(1, spark.read().parquet(dir.resolve("pool_quarantine").toString()).count());

        Run missing = mgd("ingest", "--input", dir.resolve("nope.jsonl").toString(), "--output", dir.resolve("p2").toString());
        assertEquals(3, missing.code(), missing.err());
        assertTrue(missing.err().contains("does not exist"), missing.err());

        Run usage = mgd("ingest", "--input", in, "--output", dir.resolve("p3").toString(), "--shards", "0");
        assertEquals(2, usage.code(), usage.err());
        assertTrue(usage.err().contains("--shards = 0 is invalid"), usage.err());

        Run format = mgd("ingest", "--input", in, "--output", dir.resolve("p3").toString(), "--on-bad", "skip");
        assertEquals(2, format.code(), format.err());
        assertTrue(format.err().contains("--on-bad 'skip' is unknown"), format.err());
    }
}
