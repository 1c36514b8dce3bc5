package io.metagrad.spark.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.featurize.FeaturizeJob;
import io.metagrad.spark.featurize.FeaturizeParams;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.select.SelectJob;
import io.metagrad.spark.select.SelectParams;
import io.metagrad.spark.show.RunInfo;
import io.metagrad.spark.train.TrainingOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A plain labelled table as a Spark user has it (numeric columns f0..f2, class names in a string column) through
 * {@code ingest --vector/--label-column/--index-labels/--split}, then featurize and a short select; and through
 * {@code prepare}, both stages in one command.
 */
class TabularIngestTest {

    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("tabular-ingest-test");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private String write(String name, List<String> lines) {
        try {
            Path p = dir.resolve(name);
            Files.createDirectories(p.getParent());
            Files.write(p, lines);
            return p.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String out(String name) {
        return dir.resolve(name).toString();
    }

    /** The parameters as {@code mgd ingest ARGS} parses them. */
    private static IngestParams parse(String... args) {
        IngestOptions options = new IngestOptions();
        new CommandLine(options).parseArgs(args);
        return options.toParams();
    }

    /** Exact quarters, so that every value is a float exactly. */
    private static float value(int row, int column) {
        return ((row * 7 + column * 5) % 13 - 6) / 4f;
    }

    /** {@code uid,f0,f1,f2,cls} rows whose class names cycle through {@code labels}. */
    private static List<String> table(String prefix, List<String> labels) {
        List<String> lines = new ArrayList<>(List.of("uid,f0,f1,f2,cls"));
        for (int i = 0; i < labels.size(); i++) {
            lines.add(prefix + i + "," + value(i, 0) + "," + value(i, 1) + "," + value(i, 2) + "," + labels.get(i));
        }
        return lines;
    }

    /** P 10 times, N and Q 7 times each (a tie). */
    private static List<String> poolLabels() {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            l.add(i < 10 ? "P" : i % 2 == 0 ? "N" : "Q");
        }
        return l;
    }

    private Map<String, Row> rows(String table) {
        Map<String, Row> m = new HashMap<>();
        for (Row r : spark.read().parquet(table).collectAsList()) {
            m.put(r.getAs("uid"), r);
        }
        return m;
    }

    private static List<Float> floats(Row r, String column) {
        return r.getList(r.fieldIndex(column));
    }

    @Test
    void splitsGatherVectorsAndShareOneLabelIndexThenSelectRuns() throws java.io.IOException {
        List<String> pool = poolLabels();
        List<String> target = List.of("N", "Q", "P", "Q", "N", "P", "P", "Q", "N", "Q", "P", "N");
        String poolCsv = write("raw/pool.csv", table("p", pool));
        String targetCsv = write("raw/target.csv", table("t", target));
        IngestResult r = IngestJob.run(spark, parse("--split", "pool=" + poolCsv, "--split", "target=" + targetCsv,
                "--output", out("tables"), "--vector", "x=f*", "--vector", "rev=f2,f0", "--label-column", "cls",
                "--index-labels", "--shards", "1"));
        assertEquals(List.of("P", "N", "Q"), r.labels(), "frequencyDesc: P (10), then the N/Q tie alphabetically");
        assertEquals(24, r.split("pool").rows());
        assertEquals(12, r.split("target").rows());

        Map<String, Integer> ids = Map.of("P", 0, "N", 1, "Q", 2);
        Map<String, Row> poolRows = rows(out("tables/pool"));
        for (int i = 0; i < pool.size(); i++) {
            Row row = poolRows.get("p" + i);
            assertEquals(List.of(value(i, 0), value(i, 1), value(i, 2)), floats(row, "emb_x"), "p" + i);
            assertEquals(List.of(value(i, 2), value(i, 0)), floats(row, "emb_rev"), "p" + i);
            assertEquals(ids.get(pool.get(i)), row.<Integer>getAs("label"), "p" + i);
        }
        Map<String, Row> targetRows = rows(out("tables/target"));
        for (int i = 0; i < target.size(); i++) {
            assertEquals(ids.get(target.get(i)), targetRows.get("t" + i).<Integer>getAs("label"), "t" + i + " numbered as the pool");
            assertEquals(List.of(value(i, 0), value(i, 1), value(i, 2)), floats(targetRows.get("t" + i), "emb_x"));
        }

        var hadoop = spark.sparkContext().hadoopConfiguration();
        for (String split : List.of("pool", "target")) {
            JsonObject manifest = TableManifest.read(out("tables/" + split), hadoop).orElseThrow();
            JsonObject index = manifest.getAsJsonObject("label_index");
            assertEquals("[\"P\",\"N\",\"Q\"]", index.get("labels").toString(), split);
            JsonObject byLabel = index.getAsJsonObject("ids");
            ids.forEach((label, id) -> assertEquals(id, byLabel.get(label).getAsInt(), split + " " + label));
            assertEquals(3, byLabel.size());
            assertEquals("cls", index.get("column").getAsString());
            assertEquals("frequencyDesc", index.get("order").getAsString());
            assertEquals("split 'pool'", index.get("fitted_on").getAsString());
            assertEquals("[\"f0\",\"f1\",\"f2\"]", manifest.getAsJsonObject("vectors").get("x").toString(), "f* in header order");
            assertEquals("[\"f2\",\"f0\"]", manifest.getAsJsonObject("vectors").get("rev").toString(), "a list in its own order");
            assertEquals(split, manifest.get("split").getAsString());
        }
        assertTrue(RunInfo.read(out("tables/pool"), hadoop).text().contains("labels:    0=P, 1=N, 2=Q"));
        JsonObject all = TableManifest.read(out("tables"), hadoop).orElseThrow();
        assertEquals(IngestJob.SPLITS_SCHEMA, all.get("schema").getAsString());
        assertEquals("{\"pool\":24,\"target\":12}", all.get("splits").toString());
        assertEquals(List.of("P", "N", "Q"), RunInfo.read(out("tables"), hadoop).labels());

        // featurize (the pool's emb_x as features) and a short select run on the result; the names follow along
        FeaturizeJob.run(spark, FeaturizeParams.passthrough(out("tables/pool"), out("features/pool"), "x"));
        FeaturizeJob.run(spark, FeaturizeParams.passthrough(out("tables/target"), out("features/target"), "x")
                .withFittedFrom(out("features/pool")).withTargetSet(true));
        TrainingOptions training = new TrainingOptions(TrainingOptions.ModelKind.LOGISTIC, null, 8, 0.2,
                TrainingOptions.ScheduleKind.COSINE, 0, 0.9, 0, 8, 6, 0, io.metagrad.core.tensor.Precision.FLOAT32);
        SelectJob.Result select = SelectJob.run(spark, SelectParams.builder(out("features/pool"), out("features/target"), out("run"))
                .training(training).mgdSteps(1).replicas(1).build());
        assertEquals(24, select.poolSize());
        RunInfo run = RunInfo.read(out("run"), hadoop);
        assertEquals(List.of("P", "N", "Q"), run.labels(), "a run shows its pool's class names");
        String report = java.nio.file.Files.readString(java.nio.file.Path.of(out("run"), "report.html"));
        assertTrue(report.contains("<td class=\"num\">0</td><td>P</td>") && report.contains("<td class=\"num\">2</td><td>Q</td>"),
                "the run's report lists the class names by id");
    }

    @Test
    void labelOrdersFollowStringIndexerAndPrefixesFollowParquetColumnOrder() {
        // a 1, b 2, c 2: ties (b, c) go alphabetically in both frequency orders; nulls and bad rows do not count
        Dataset<Row> labels = spark.sql("select * from values ('b', null), ('a', null), ('c', null), ('b', null), ('c', null), "
                + "(null, null), ('z', 'a bad row') as t(" + LabelIndex.TEXT + ", _error)");
        Map<LabelOrder, List<String>> expected = Map.of(LabelOrder.frequencyDesc, List.of("b", "c", "a"),
                LabelOrder.frequencyAsc, List.of("a", "b", "c"), LabelOrder.alphabetDesc, List.of("c", "b", "a"),
                LabelOrder.alphabetAsc, List.of("a", "b", "c"));
        for (var e : expected.entrySet()) {
            TabularColumns t = new TabularColumns(List.of(), null, true, e.getKey(), false);
            assertEquals(e.getValue(), LabelIndex.fit(labels, "test", t).labels(), e.getKey().name());
        }
        // Parquet: typed numeric columns of several types, a prefix in schema order (b2 before b1), string labels, a null
        spark.sql("select concat('q', id) as uid, cast(id as int) as b2, cast(id * 0.5 as double) as b1, cast(id as long) as c, "
                + "case when id = 1 then null when id % 3 = 0 then 'x' else 'y' end as label from range(6)")
                .coalesce(1).write().parquet(out("parquet-in"));
        IngestResult r = IngestJob.run(spark, parse("--input", out("parquet-in"), "--output", out("pq"), "--vector", "b=b*",
                "--vector", "c=c", "--index-labels", "--label-order", "alphabetDesc", "--shards", "1"));
        assertEquals(List.of("y", "x"), r.labels());
        Map<String, Row> rows = rows(out("pq"));
        assertEquals(List.of(5f, 2.5f), floats(rows.get("q5"), "emb_b"));
        assertEquals(List.of(5f), floats(rows.get("q5"), "emb_c"));
        assertEquals(0, rows.get("q5").<Integer>getAs("label"));
        assertEquals(1, rows.get("q3").<Integer>getAs("label"));
        assertTrue(rows.get("q1").isNullAt(rows.get("q1").fieldIndex("label")), "a null label stays unlabeled");
    }

    private IllegalArgumentException failure(IngestParams p) {
        return assertThrows(IllegalArgumentException.class, () -> IngestJob.run(spark, p));
    }

    @Test
    void badCellsAndUnknownLabelsNameTheirPlaceAndWriteNothing() {
        String bad = write("bad/pool.csv", List.of("uid,f0,f1,cls", "a,1,2,P", "b,1,abc,N", "c,,2,P"));
        String message = failure(parse("--input", bad, "--output", out("b1"), "--vector", "x=f0,f1", "--label-column", "cls",
                "--index-labels", "--shards", "1")).getMessage();
        assertTrue(message.contains("pool.csv row 2 field 'f1': is not a number (--vector x gathers it): string \"abc\""), message);
        assertTrue(message.contains("2 bad rows in all"), message);
        assertFalse(Files.exists(dir.resolve("b1")), "nothing written");

        IngestResult quarantined = IngestJob.run(spark, parse("--input", bad, "--output", out("b2"), "--vector", "x=f0,f1",
                "--label-column", "cls", "--index-labels", "--on-bad", "quarantine", "--shards", "1"));
        assertEquals(1, quarantined.rows());
        List<Row> q = spark.read().parquet(out("b2_quarantine")).orderBy("row").collectAsList();
        assertEquals(List.of("f1", "f0"), List.of(q.get(0).<String>getAs("field"), q.get(1).<String>getAs("field")));
        assertTrue(q.get(1).<String>getAs("error").contains("is empty; --vector x needs a number in every row"));
        assertEquals(List.of("P"), quarantined.labels(), "bad rows do not count in the label index");

        String pool = write("splits/pool.csv", List.of("uid,f0,cls", "a,1,P", "b,2,N"));
        String target = write("splits/target.csv", List.of("uid,f0,cls", "t1,1,N", "t2,1,Z"));
        message = failure(parse("--split", "pool=" + pool, "--split", "target=" + target, "--output", out("s1"),
                "--vector", "x=f0", "--label-column", "cls", "--index-labels")).getMessage();
        assertTrue(message.startsWith("split 'target': "), message);
        assertTrue(message.contains("target.csv row 2 field 'cls': label \"Z\" is not in the label index fitted on split 'pool' "
                + "(2 labels: N, P); --handle-invalid keep gives unknown labels id 2"), message);
        assertFalse(Files.exists(dir.resolve("s1")), "no split written");
        IngestResult kept = IngestJob.run(spark, parse("--split", "pool=" + pool, "--split", "target=" + target, "--output",
                out("s2"), "--vector", "x=f0", "--label-column", "cls", "--index-labels", "--handle-invalid", "keep", "--shards", "1"));
        assertEquals(List.of("N", "P"), kept.labels(), "the tie of 1 and 1 alphabetically");
        assertEquals(2, rows(out("s2/target")).get("t2").<Integer>getAs("label"));
        assertEquals(0, rows(out("s2/target")).get("t1").<Integer>getAs("label"));

        String other = write("splits/other.csv", List.of("uid,f0,f1,cls", "o1,1,2,N"));
        message = failure(parse("--split", "pool=" + pool, "--split", "test=" + other, "--output", out("s3"), "--vector", "x=f*",
                "--label-column", "cls"))
                .getMessage();
        assertTrue(message.contains("--vector x gathers [f0, f1] here but [f0] in split 'pool'"), message);
        message = failure(parse("--input", pool, "--output", out("s4"), "--vector", "x=g*")).getMessage();
        assertTrue(message.contains("pool.csv: no column starts with 'g' (--vector x=g*)"), message);
        message = failure(parse("--input", pool, "--output", out("s5"), "--vector", "x=f0,f9")).getMessage();
        assertTrue(message.contains("pool.csv field 'f9': no such column (--vector x gathers it)"), message);
        message = failure(parse("--input", pool, "--output", out("s6"))).getMessage();
        assertTrue(message.contains("pool.csv field 'f0': is not a pool/v1 field"), message);
    }

    @Test
    void csvArrayCellsInEveryDocumentedSpellingRoundTrip() {
        // The documented cell format of an emb_<name> (or pixels) column in CSV: "[a,b,…]", or the numbers separated
        // by spaces, commas or semicolons (quoted when they hold a comma).
        String csv = write("cells/in.csv", List.of("uid,emb_t", "a,\"[0.1, -2.5e3, 7]\"", "b,0.1 -2500 7", "c,0.1;-2500;7",
                "d,\"0.1,-2500,7\""));
        IngestJob.run(spark, IngestParams.of(List.of(csv), out("cells-pool")).withShards(1));
        Map<String, Row> rows = rows(out("cells-pool"));
        for (String uid : List.of("a", "b", "c", "d")) {
            assertEquals(List.of(0.1f, -2500f, 7f), floats(rows.get(uid), "emb_t"), uid);
        }
        // written back as "[a,b,c]" cells by Spark's own CSV writer, and read again: the same floats
        spark.read().parquet(out("cells-pool")).selectExpr("uid", "concat('[', array_join(emb_t, ','), ']') as emb_t")
                .coalesce(1).write().option("header", "true").csv(out("cells-csv"));
        IngestJob.run(spark, IngestParams.of(List.of(out("cells-csv")), out("cells-again")).withFormat(InputFormat.CSV).withShards(1));
        Map<String, Row> again = rows(out("cells-again"));
        for (String uid : List.of("a", "b", "c", "d")) {
            assertEquals(floats(rows.get(uid), "emb_t"), floats(again.get(uid), "emb_t"), uid);
        }
    }

    /** {@code mgd ARGS} through the command line: the exit code and what it printed to stderr. */
    private record Cli(int code, String err) {}

    private static Cli mgd(String... args) {
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine cl = io.metagrad.cli.Mgd.commandLine();
        cl.setErr(new java.io.PrintWriter(err, true));
        return new Cli(cl.execute(args), err.toString());
    }

    @Test
    void quarantineWithSplitsSetsEachSplitsBadRowsAsideAndFailNamesSplitFileAndRow() {
        String pool = write("q/pool.csv", List.of("uid,f0,f1,cls", "a,1,2,P", "b,1,abc,N", "c,3,4,N", "d,5,6,P"));
        String target = write("q/target.csv", List.of("uid,f0,f1,cls", "t1,1,2,N", "t2,2,3,P", "t3,,3,P"));
        List<String> common = List.of("--vector", "x=f0,f1", "--label-column", "cls", "--index-labels", "--shards", "1");

        List<String> args = new ArrayList<>(List.of("--split", "pool=" + pool, "--split", "target=" + target, "--output",
                out("q-tables"), "--on-bad", "quarantine"));
        args.addAll(common);
        IngestResult r = IngestJob.run(spark, parse(args.toArray(new String[0])));
        assertEquals(3, r.split("pool").rows());
        assertEquals(1, r.split("pool").badRows());
        assertEquals(2, r.split("target").rows());
        assertEquals(1, r.split("target").badRows());
        assertEquals(java.util.Set.of("a", "c", "d"), rows(out("q-tables/pool")).keySet(), "the good rows commit");
        assertEquals(java.util.Set.of("t1", "t2"), rows(out("q-tables/target")).keySet());
        // each split's bad rows in its own quarantine table, named by file and row, with the reason and the raw record
        List<Row> qp = spark.read().parquet(out("q-tables_quarantine/pool")).collectAsList();
        assertEquals(1, qp.size());
        assertTrue(qp.get(0).<String>getAs("file").endsWith("q/pool.csv"), qp.get(0).toString());
        assertEquals(2L, qp.get(0).<Long>getAs("row"));
        assertEquals("f1", qp.get(0).<String>getAs("field"));
        assertTrue(qp.get(0).<String>getAs("error").contains("is not a number (--vector x gathers it)"), qp.get(0).toString());
        assertEquals("b", qp.get(0).<String>getAs("uid"));
        List<Row> qt = spark.read().parquet(out("q-tables_quarantine/target")).collectAsList();
        assertEquals(1, qt.size());
        assertTrue(qt.get(0).<String>getAs("file").endsWith("q/target.csv"), qt.get(0).toString());
        assertEquals(3L, qt.get(0).<Long>getAs("row"));
        assertEquals("f0", qt.get(0).<String>getAs("field"));
        assertEquals("t3", qt.get(0).<String>getAs("uid"));
        var hadoop = spark.sparkContext().hadoopConfiguration();
        assertEquals(IngestJob.QUARANTINE_SPLITS_SCHEMA, TableManifest.read(out("q-tables_quarantine"), hadoop).orElseThrow()
                .get("schema").getAsString());
        for (String split : List.of("pool", "target")) {
            JsonObject m = TableManifest.read(out("q-tables/" + split), hadoop).orElseThrow();
            assertEquals(1, m.get("bad_rows").getAsLong(), split);
            assertTrue(m.get("quarantine").getAsString().endsWith(out("q-tables_quarantine/" + split)), m.toString());
            assertEquals(IngestJob.QUARANTINE_SCHEMA, TableManifest.read(out("q-tables_quarantine/" + split), hadoop).orElseThrow()
                    .get("schema").getAsString());
        }
        assertEquals(List.of("P", "N"), r.labels(), "fitted on the pool's good rows only (P 2, N 1; with the bad row N would tie"
                + " and come first)");

        // fail mode: the first bad row of the first split with one, by split, file, row and field; nothing written
        String clean = write("q/clean.csv", List.of("uid,f0,f1,cls", "a,1,2,P", "c,3,4,N"));
        args = new ArrayList<>(List.of("--split", "pool=" + clean, "--split", "target=" + target, "--output", out("q-fail")));
        args.addAll(common);
        String message = failure(parse(args.toArray(new String[0]))).getMessage();
        assertTrue(message.startsWith("split 'target': file:") && message.contains("q/target.csv row 3 field 'f0': is empty;"
                + " --vector x needs a number in every row (1 bad row; --on-bad quarantine sets bad rows aside)"), message);
        assertFalse(Files.exists(dir.resolve("q-fail")), "no split written");
        assertFalse(Files.exists(dir.resolve("q-fail_quarantine")));
        args.set(1, "pool=" + pool); // both splits bad: the pool's row is named, the first split checked
        message = failure(parse(args.toArray(new String[0]))).getMessage();
        assertTrue(message.startsWith("split 'pool': ") && message.contains("q/pool.csv row 2 field 'f1'"), message);
        assertFalse(Files.exists(dir.resolve("q-fail")));
        try (var left = Files.list(dir)) {
            assertFalse(left.anyMatch(f -> f.getFileName().toString().contains(".staging-")), "no staging directory left");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void jsonlVectorsGatherListedFieldsAndABadOrMissingFieldNamesFileRowAndField() {
        String jsonl = write("j/rows.jsonl", List.of(
                "{\"uid\": \"a\", \"f0\": 1, \"f1\": 2.5, \"cls\": \"P\"}",
                "{\"uid\": \"b\", \"f1\": -0.25, \"f0\": 3, \"cls\": \"N\"}",
                "{\"uid\": \"c\", \"f0\": 4000000000, \"f1\": 0.5, \"cls\": \"P\"}"));
        IngestResult r = IngestJob.run(spark, parse("--input", jsonl, "--output", out("j-pool"), "--vector", "x=f0,f1",
                "--vector", "rev=f1,f0", "--label-column", "cls", "--index-labels", "--shards", "1"));
        assertEquals(3, r.rows());
        assertEquals(List.of("P", "N"), r.labels());
        Map<String, Row> rows = rows(out("j-pool"));
        assertEquals(List.of(1f, 2.5f), floats(rows.get("a"), "emb_x"));
        assertEquals(List.of(3f, -0.25f), floats(rows.get("b"), "emb_x"), "the listed order, not the record's key order");
        assertEquals(List.of(-0.25f, 3f), floats(rows.get("b"), "emb_rev"));
        assertEquals(List.of(4.0e9f, 0.5f), floats(rows.get("c"), "emb_x"), "a long becomes the nearest float");
        assertEquals(1, rows.get("b").<Integer>getAs("label"));
        JsonObject manifest = TableManifest.read(out("j-pool"), spark.sparkContext().hadoopConfiguration()).orElseThrow();
        assertEquals("[\"f0\",\"f1\"]", manifest.getAsJsonObject("vectors").get("x").toString());

        // a field missing, null, a string (JSONL numbers are JSON numbers: no numeric text) or a list: each names its place
        String bad = write("j/bad.jsonl", List.of(
                "{\"uid\": \"a\", \"f0\": 1, \"f1\": 2, \"cls\": \"P\"}",
                "{\"uid\": \"b\", \"f0\": 1, \"cls\": \"N\"}",
                "{\"uid\": \"c\", \"f0\": null, \"f1\": 2, \"cls\": \"N\"}",
                "{\"uid\": \"d\", \"f0\": 1, \"f1\": \"1.5\", \"cls\": \"N\"}",
                "{\"uid\": \"e\", \"f0\": [1, 2], \"f1\": 2, \"cls\": \"N\"}"));
        String message = failure(parse("--input", bad, "--output", out("j-bad"), "--vector", "x=f0,f1", "--label-column", "cls",
                "--index-labels")).getMessage();
        assertTrue(message.contains("j/bad.jsonl row 2 field 'f1': is empty; --vector x needs a number in every row"), message);
        assertTrue(message.contains("4 bad rows in all"), message);
        assertFalse(Files.exists(dir.resolve("j-bad")), "nothing written");
        IngestResult q = IngestJob.run(spark, parse("--input", bad, "--output", out("j-q"), "--vector", "x=f0,f1",
                "--label-column", "cls", "--index-labels", "--on-bad", "quarantine", "--shards", "1"));
        assertEquals(1, q.rows());
        List<Row> set = spark.read().parquet(out("j-q_quarantine")).orderBy("row").collectAsList();
        assertEquals(List.of(2L, 3L, 4L, 5L), set.stream().map(x -> x.<Long>getAs("row")).toList());
        assertEquals(List.of("f1", "f0", "f1", "f0"), set.stream().map(x -> x.<String>getAs("field")).toList());
        assertTrue(set.get(1).<String>getAs("error").contains("is empty; --vector x needs a number"), set.get(1).toString());
        assertTrue(set.get(2).<String>getAs("error").contains("is not a number (--vector x gathers it): string \"1.5\""),
                set.get(2).toString());
        assertTrue(set.get(3).<String>getAs("error").contains("is not a number (--vector x gathers it)"), set.get(3).toString());

        // through the command line: exit 2, the message naming file, row and field; a prefix needs a column order
        Cli cli = mgd("ingest", "--input", bad, "--output", out("j-cli"), "--vector", "x=f0,f1", "--label-column", "cls",
                "--index-labels");
        assertEquals(2, cli.code(), cli.err());
        assertTrue(cli.err().contains("ingest: file:") && cli.err().contains("j/bad.jsonl row 2 field 'f1': is empty"), cli.err());
        cli = mgd("ingest", "--input", jsonl, "--output", out("j-cli"), "--vector", "x=f*", "--label-column", "cls",
                "--index-labels");
        assertEquals(2, cli.code(), cli.err());
        assertTrue(cli.err().contains("--vector x=f*: JSONL records have no fixed column order to expand a prefix in"), cli.err());
        assertFalse(Files.exists(dir.resolve("j-cli")));
    }

    /** The tabular rows with a short text column, for a featurizer whose state (the IDF) is fitted on the pool. */
    private static List<String> textTable(String prefix, List<String> labels) {
        List<String> lines = table(prefix, labels);
        List<String> out = new ArrayList<>(List.of(lines.get(0) + ",text"));
        String[] words = {"cat", "dog", "bird", "fish", "mouse"};
        for (int i = 1; i < lines.size(); i++) {
            out.add(lines.get(i) + "," + words[i % 5] + " and " + words[i * 3 % 5] + " " + words[i * 3 % 5]);
        }
        return out;
    }

    @SafeVarargs
    private static String[] args(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> p : parts) {
            all.addAll(p);
        }
        return all.toArray(new String[0]);
    }

    private static final java.util.regex.Pattern UUID =
            java.util.regex.Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /**
     * Every file under {@code root} by relative path (the write job's UUID in a part file's name left out): a Parquet
     * file by the SHA-256 of its bytes, a manifest or Spark ML metadata as its JSON (keys sorted) without the time it was
     * written and the estimator's random uid (and the default output column named after it). Checksum files follow their
     * file's bytes and are left out.
     */
    private static Map<String, String> contents(Path root) throws IOException {
        Map<String, String> m = new java.util.TreeMap<>();
        try (var files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = UUID.matcher(root.relativize(f).toString()).replaceAll("UUID");
                if (name.endsWith(".crc")) {
                    continue;
                }
                String value;
                if (name.endsWith(TableManifest.FILE_NAME) || name.contains("/metadata/part-")) {
                    JsonObject json = com.google.gson.JsonParser.parseString(Files.readString(f)).getAsJsonObject();
                    json.remove("created_utc");
                    json.remove("timestamp");
                    json.remove("uid");
                    if (json.has("defaultParamMap")) {
                        json.getAsJsonObject("defaultParamMap").remove("outputCol");
                    }
                    value = sorted(json).toString();
                } else {
                    try {
                        value = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                .digest(Files.readAllBytes(f)));
                    } catch (java.security.NoSuchAlgorithmException e) {
                        throw new IllegalStateException(e);
                    }
                }
                m.put(name, value);
            }
        }
        return m;
    }

    private static com.google.gson.JsonElement sorted(com.google.gson.JsonElement e) {
        if (!e.isJsonObject()) {
            return e;
        }
        JsonObject out = new JsonObject();
        new java.util.TreeMap<>(e.getAsJsonObject().asMap()).forEach((k, v) -> out.add(k, sorted(v)));
        return out;
    }

    private static void deleteTree(Path root) throws IOException {
        try (var files = Files.walk(root)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }

    @Test
    void prepareWritesWhatIngestThenFeaturizeWriteBitForBitInOneCommit() throws IOException {
        String poolCsv = write("raw/pool.csv", textTable("p", poolLabels()));
        String targetCsv = write("raw/target.csv", textTable("t", List.of("N", "Q", "P", "Q", "N", "P")));
        Path d = dir.resolve("prepared");
        List<String> splits = List.of("--split", "pool=" + poolCsv, "--split", "target=" + targetCsv);
        List<String> ingestOptions = List.of("--vector", "x=f*", "--label-column", "cls", "--index-labels", "--shards", "2");
        List<String> featurizeOptions = List.of("--featurizer", "hashing-tfidf", "--num-features", "32");

        // the two commands, into prepared/pool and prepared/features
        IngestJob.run(spark, parse(args(splits, List.of("--output", d + "/pool"), ingestOptions)));
        io.metagrad.spark.featurize.FeaturizeOptions featurize = new io.metagrad.spark.featurize.FeaturizeOptions();
        new CommandLine(featurize).parseArgs(args(List.of("--split", "pool=" + d + "/pool/pool", "--split", "target=" + d
                + "/pool/target", "--target-split", "target", "--output", d + "/features"), featurizeOptions));
        FeaturizeJob.run(spark, featurize);
        Map<String, String> twoCommands = contents(d);
        deleteTree(d);

        // one command, one session: the same files, plus the directory's own manifest
        Cli cli = mgd(args(List.of("prepare"), splits, List.of("--target-split", "target", "--output", d.toString()), ingestOptions,
                featurizeOptions));
        assertEquals(0, cli.code(), cli.err());
        Map<String, String> prepared = contents(d);
        JsonObject top = com.google.gson.JsonParser.parseString(prepared.remove(TableManifest.FILE_NAME)).getAsJsonObject();
        assertTrue(twoCommands.keySet().stream().anyMatch(f -> f.matches("features/target/part-.*\\.parquet")), twoCommands.toString());
        assertTrue(twoCommands.containsKey("features/pool/_featurizer/idf/metadata/part-00000"), twoCommands.keySet().toString());
        assertEquals(twoCommands.keySet(), prepared.keySet());
        twoCommands.forEach((file, content) -> assertEquals(content, prepared.get(file), file
                + ": prepare writes what ingest --split then featurize --split write"));

        assertEquals(io.metagrad.spark.prepare.PrepareJob.SCHEMA, top.get("schema").getAsString());
        assertEquals("{\"pool\":24,\"target\":6}", top.get("splits").toString());
        assertEquals(d + "/pool", top.get("pool").getAsString());
        assertEquals(d + "/features", top.get("features").getAsString());
        assertEquals("[\"target\"]", top.get("target_splits").toString());
        try (var all = Files.walk(d)) {
            for (Path f : all.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().equals(TableManifest.FILE_NAME))
                    .toList()) {
                assertFalse(Files.readString(f).contains(".staging-"), f + " names a staging directory");
            }
        }
        for (Row r : spark.read().parquet(d + "/features/target").collectAsList()) {
            String params = r.getAs("featurizer_params");
            assertTrue(params.contains("\"idfFittedOn\":\"" + d + "/pool/pool\"") && !params.contains(".staging-"), params);
        }
        assertTrue(cli.err().isEmpty() || !cli.err().contains("prepare:"), cli.err());

        // --on-bad quarantine: each split's bad rows in DIR/pool_quarantine/NAME, committed with the tables
        String oneBad = write("raw/q-target.csv", List.of("uid,f0,f1,f2,cls,text", "t0,1,2,3,P,cat", "t1,1,x,3,N,dog"));
        Cli q = mgd(args(List.of("prepare", "--split", "pool=" + poolCsv, "--split", "target=" + oneBad, "--target-split", "target",
                "--output", out("p-q"), "--on-bad", "quarantine"), ingestOptions, featurizeOptions));
        assertEquals(0, q.code(), q.err());
        assertEquals(List.of("t0"), spark.read().parquet(out("p-q/features/target")).collectAsList().stream()
                .map(x -> x.<String>getAs("uid")).toList());
        List<Row> set = spark.read().parquet(out("p-q/pool_quarantine/target")).collectAsList();
        assertEquals(1, set.size());
        assertEquals("t1", set.get(0).<String>getAs("uid"));
        assertEquals(2L, set.get(0).<Long>getAs("row"));
        assertEquals("f1", set.get(0).<String>getAs("field"));
        assertEquals(0, spark.read().parquet(out("p-q/pool_quarantine/pool")).count(), "the pool had no bad row");
        JsonObject qTop = TableManifest.read(out("p-q"), spark.sparkContext().hadoopConfiguration()).orElseThrow();
        assertEquals(out("p-q/pool_quarantine"), qTop.get("quarantine").getAsString());

        // one commit: a bad row (ingest) or a split the featurizer cannot take (featurize, after ingest wrote the
        // pools) leaves no directory and no staging directory; --overwrite is needed to replace the output
        String badTarget = write("raw/bad-target.csv", List.of("uid,f0,f1,f2,cls,text", "t0,1,2,x,P,cat"));
        Cli bad = mgd(args(List.of("prepare", "--split", "pool=" + poolCsv, "--split", "target=" + badTarget, "--output",
                out("p-bad")), ingestOptions, featurizeOptions));
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("prepare: split 'target': file:") && bad.err().contains("bad-target.csv row 1 field 'f2'"),
                bad.err());
        String noText = write("raw/no-text.csv", List.of("uid,f0,f1,f2,cls,text", "t0,1,2,3,P,"));
        bad = mgd(args(List.of("prepare", "--split", "pool=" + poolCsv, "--split", "target=" + noText, "--output",
                out("p-bad")), ingestOptions, featurizeOptions));
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("field 'text': missing; hashing-tfidf needs text on every row"), bad.err());
        assertFalse(Files.exists(dir.resolve("p-bad")), "nothing committed");
        try (var left = Files.list(dir)) {
            assertFalse(left.anyMatch(f -> f.getFileName().toString().contains(".staging-")), "no staging directory left");
        }
        Cli again = mgd(args(List.of("prepare"), splits, List.of("--output", d.toString()), featurizeOptions));
        assertEquals(2, again.code(), again.err());
        assertTrue(again.err().contains("exists; pass --overwrite to replace it"), again.err());
        Cli inside = mgd(args(List.of("prepare", "--split", "pool=" + poolCsv, "--output", dir.resolve("raw").toString(),
                "--overwrite"), featurizeOptions));
        assertEquals(2, inside.code(), inside.err());
        assertTrue(inside.err().contains("prepare --output " + dir.resolve("raw") + " contains the input"), inside.err());
        assertTrue(Files.exists(Path.of(poolCsv)), "the input is untouched");
    }
}
