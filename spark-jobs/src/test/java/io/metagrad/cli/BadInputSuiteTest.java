package io.metagrad.cli;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.demo.SyntheticSample;
import io.metagrad.spark.select.SelectJob;
import io.metagrad.spark.select.SelectParams;
import io.metagrad.spark.train.TrainingOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What a careless user can do to every job, run through {@code mgd} in-process on one Spark session. Each
 * case asserts the exit code (2 bad input, usage or settings; 3 missing input), that the last line printed
 * names the culprit (file, row, field, option or value), that no stack trace was printed, and that the
 * outputs it named do not exist afterwards, not even as a hidden staging directory.
 */
class BadInputSuiteTest {

    private static SparkSession spark;

    @TempDir
    static Path dir;

    private static SyntheticSample.Paths s;
    private static String wide;
    private static String extraClass;
    private static String empty;
    private static String run;

    /** Quick training for every case that gets as far as training. */
    private static final String[] QUICK = {"--train-steps", "12", "--batch-size", "16"};

    @BeforeAll
    static void start() throws IOException {
        spark = SparkSessions.getOrCreate("bad-input-suite");
        s = new SyntheticSample(4, 6, 120, 0.2, 0.1, 40, 60, 1.5, 3).write(spark, path("s"));
        wide = new SyntheticSample(4, 9, 40, 0, 0, 20, 20, 1.5, 4).write(spark, path("wide")).targetFeatures();
        extraClass = new SyntheticSample(6, 6, 40, 0, 0, 60, 20, 1.5, 5).write(spark, path("six")).targetFeatures();
        empty = path("empty_features");
        spark.createDataFrame(List.of(), SyntheticSample.FEATURES).write().parquet(empty);
        TrainingOptions training = new TrainingOptions(TrainingOptions.ModelKind.LOGISTIC, null, 8, 0.2,
                TrainingOptions.ScheduleKind.COSINE, 0, 0.9, 0, 16, 12, 0, io.metagrad.core.tensor.Precision.FLOAT32);
        run = path("run");
        SelectJob.run(spark, SelectParams.builder(s.poolFeatures(), s.targetFeatures(), run).training(training).mgdSteps(1)
                .replicas(1).build());
        writeInputs();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private record Case(String name, String[] args, int code, List<String> culprit, List<String> absent) {}

    private static Case bad(String name, int code, List<String> culprit, List<String> absent, String... args) {
        return new Case(name, args, code, culprit, absent);
    }

    private static String path(String name) {
        return dir.resolve(name).toString();
    }

    private static String[] with(String[] args, String... more) {
        String[] all = Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    @TestFactory
    Stream<DynamicTest> everyJobRefusesBadInputClearlyAndWritesNothing() {
        List<Case> cases = new ArrayList<>();
        String pool = s.poolFeatures();
        String target = s.targetFeatures();
        String test = s.testFeatures();

        // ingest
        cases.add(bad("ingest: a missing input", 3, List.of("nope.jsonl", "does not exist"), List.of(path("i1")),
                "ingest", "--input", path("raw/nope.jsonl"), "--output", path("i1")));
        cases.add(bad("ingest: a row of the wrong type", 2, List.of("typed.jsonl row 2 field 'label'"), List.of(path("i2"), path("i2_quarantine")),
                "ingest", "--input", path("raw/typed.jsonl"), "--output", path("i2")));
        cases.add(bad("ingest: a file that is not Parquet", 2, List.of("garbage.parquet", "not a readable Parquet file"), List.of(path("i3")),
                "ingest", "--input", path("raw/garbage.parquet"), "--output", path("i3")));
        cases.add(bad("ingest: a 0-byte Parquet file", 2, List.of("zero.parquet", "not a readable Parquet file"), List.of(path("i4")),
                "ingest", "--input", path("raw/zero.parquet"), "--output", path("i4")));
        cases.add(bad("ingest: a damaged Parquet page", 2, List.of("damaged.parquet", "row group 1 of 1", "cannot be decoded"),
                List.of(path("i5")), "ingest", "--input", path("raw/damaged.parquet"), "--output", path("i5")));
        cases.add(bad("ingest: a truncated .jsonl.gz", 2, List.of("cut.jsonl.gz line", "truncated or corrupt"), List.of(path("i6")),
                "ingest", "--input", path("raw/cut.jsonl.gz"), "--output", path("i6")));
        cases.add(bad("ingest: a truncated .csv.gz", 2, List.of("cut.csv.gz line", "truncated or corrupt"), List.of(path("i7")),
                "ingest", "--input", path("raw/cut.csv.gz"), "--output", path("i7")));
        cases.add(bad("ingest: invalid UTF-8 in JSONL", 2, List.of("utf8.jsonl row 2", "invalid UTF-8: byte 0xFF at byte offset 10"),
                List.of(path("i8")), "ingest", "--input", path("raw/utf8.jsonl"), "--output", path("i8")));
        cases.add(bad("ingest: invalid UTF-8 in CSV", 2, List.of("utf8.csv row 1", "invalid UTF-8: byte 0xC3"), List.of(path("i9")),
                "ingest", "--input", path("raw/utf8.csv"), "--output", path("i9")));
        cases.add(bad("ingest: invalid UTF-8 in a Parquet string", 2, List.of("utf8.parquet row 2 field 'uid'", "invalid UTF-8"),
                List.of(path("i10")), "ingest", "--input", path("raw/utf8.parquet"), "--output", path("i10")));
        cases.add(bad("ingest: a 0-byte JSONL file", 2, List.of("no rows", "zero.jsonl", "--allow-empty"), List.of(path("i11")),
                "ingest", "--input", path("raw/zero.jsonl"), "--output", path("i11")));
        cases.add(bad("ingest: only blank lines", 2, List.of("no rows", "blank.jsonl"), List.of(path("i12")),
                "ingest", "--input", path("raw/blank.jsonl"), "--output", path("i12")));
        cases.add(bad("ingest: a 0-byte CSV file", 2, List.of("zero.csv", "empty file"), List.of(path("i13")),
                "ingest", "--input", path("raw/zero.csv"), "--output", path("i13")));
        cases.add(bad("ingest: output equal to the input directory", 2, List.of("is the same path as the input --input"), List.of(),
                "ingest", "--input", path("raw"), "--format", "jsonl", "--output", path("raw"), "--overwrite"));
        cases.add(bad("ingest: output inside the input directory", 2, List.of("lies inside the input --input"), List.of(path("raw/pool")),
                "ingest", "--input", path("raw"), "--format", "jsonl", "--output", path("raw/pool")));
        cases.add(bad("ingest: output holding only .git/, even with --overwrite", 2, List.of("repo", "was not made by metagrad"), List.of(),
                "ingest", "--input", path("raw/good.jsonl"), "--output", path("repo"), "--overwrite"));
        cases.add(bad("ingest: --shards 0", 2, List.of("--shards = 0"), List.of(path("i14")),
                "ingest", "--input", path("raw/good.jsonl"), "--output", path("i14"), "--shards", "0"));
        cases.add(bad("ingest: an unknown --format", 2, List.of("tsv"), List.of(path("i15")),
                "ingest", "--input", path("raw/good.jsonl"), "--output", path("i15"), "--format", "tsv"));
        cases.add(bad("ingest: quarantine equal to the output", 2, List.of("--quarantine must differ from --output"), List.of(path("i16")),
                "ingest", "--input", path("raw/good.jsonl"), "--output", path("i16"), "--on-bad", "quarantine", "--quarantine", path("i16")));

        // featurize
        cases.add(bad("featurize: a missing input", 3, List.of("no table at", "nothing_here"), List.of(path("f1")),
                "featurize", "--input", path("nothing_here"), "--output", path("f1"), "--featurizer", "pixels"));
        cases.add(bad("featurize: output equal to the input", 2, List.of("--output must differ from --input"), List.of(),
                "featurize", "--input", s.pool(), "--output", s.pool(), "--featurizer", "pixels", "--overwrite"));
        cases.add(bad("featurize: no pixels in the pool", 2, List.of("field 'pixels or image': missing", "120 rows lack it"), List.of(path("f2")),
                "featurize", "--input", s.pool(), "--output", path("f2"), "--featurizer", "pixels"));
        cases.add(bad("featurize: an unknown featurizer", 2, List.of("sift"), List.of(path("f3")),
                "featurize", "--input", s.pool(), "--output", path("f3"), "--featurizer", "sift"));

        // prepare (ingest then featurize in one commit: a failure in either stage leaves no output)
        cases.add(bad("prepare: a missing split input", 3, List.of("nope.jsonl", "does not exist"), List.of(path("pr1")),
                "prepare", "--split", "pool=" + path("raw/nope.jsonl"), "--output", path("pr1"), "--featurizer", "hashing-tfidf"));
        cases.add(bad("prepare: a bad row in the second split", 2, List.of("split 'target'", "typed.jsonl row 2 field 'label'"),
                List.of(path("pr2")), "prepare", "--split", "pool=" + path("raw/good.jsonl"), "--split", "target="
                        + path("raw/typed.jsonl"), "--output", path("pr2"), "--featurizer", "hashing-tfidf"));
        cases.add(bad("prepare: pools the featurizer cannot take, found after ingest", 2,
                List.of("field 'text': missing", "hashing-tfidf needs text on every row"), List.of(path("pr3")), "prepare", "--split",
                "pool=" + path("raw/good.jsonl"), "--output", path("pr3"), "--featurizer", "hashing-tfidf"));
        cases.add(bad("prepare: a --target-split that names no split", 2, List.of("--target-split test names no --split"),
                List.of(path("pr4")), "prepare", "--split", "pool=" + path("raw/good.jsonl"), "--target-split", "test", "--output",
                path("pr4"), "--featurizer", "hashing-tfidf"));

        // select
        cases.add(bad("select: a missing pool", 3, List.of("select.pool", "no_pool"), List.of(path("s1")),
                with(new String[] {"select", "--pool", path("no_pool"), "--target", target, "--output", path("s1")}, QUICK)));
        cases.add(bad("select: target features of another width", 2, List.of(wide, "width 9", "has 6"), List.of(path("s2")),
                with(new String[] {"select", "--pool", pool, "--target", wide, "--output", path("s2")}, QUICK)));
        cases.add(bad("select: a target class the pool lacks", 2, List.of("--target", extraClass, "field 'label': class 4", "no example in --pool"),
                List.of(path("s3")), with(new String[] {"select", "--pool", pool, "--target", extraClass, "--output", path("s3")}, QUICK)));
        cases.add(bad("select: an empty target table", 2, List.of(empty, "has no rows"), List.of(path("s4")),
                with(new String[] {"select", "--pool", pool, "--target", empty, "--output", path("s4")}, QUICK)));
        cases.add(bad("select: --keep beyond the pool", 2, List.of("--keep 500 exceeds the 120 items"), List.of(path("s5")),
                with(new String[] {"select", "--pool", pool, "--target", target, "--output", path("s5"), "--keep", "500"}, QUICK)));
        cases.add(bad("select: a learning rate that diverges", 2, List.of("training diverged", "--lr", "--batch-size"), List.of(path("s6")),
                with(new String[] {"select", "--pool", pool, "--target", target, "--output", path("s6"), "--lr", "1e4",
                    "--mgd-steps", "1", "--replicas", "1"}, QUICK)));
        cases.add(bad("select: output equal to the pool", 2, List.of("is the same path as the input --pool"), List.of(),
                with(new String[] {"select", "--pool", pool, "--target", target, "--output", pool, "--overwrite"}, QUICK)));
        cases.add(bad("select: output holding only .git/", 2, List.of("repo", "never deletes what it did not create"), List.of(),
                with(new String[] {"select", "--pool", pool, "--target", target, "--output", path("repo"), "--overwrite"}, QUICK)));
        cases.add(bad("select: an unknown --update", 2, List.of("--update sideways"), List.of(path("s7")),
                "select", "--pool", pool, "--target", target, "--output", path("s7"), "--update", "sideways"));
        cases.add(bad("select: a batch larger than the pool", 2, List.of("fewer than train.batchSize = 512"), List.of(path("s8")),
                "select", "--pool", pool, "--target", target, "--output", path("s8"), "--batch-size", "512"));
        cases.add(bad("select: a baseline without a budget", 2, List.of("needs a budget"), List.of(path("s9")),
                "select", "--method", "loss", "--pool", pool, "--target", target, "--output", path("s9")));

        // curate
        cases.add(bad("curate: a missing selection", 3, List.of("curate.selection", "no_run"), List.of(path("c1")),
                "curate", "--input", s.pool(), "--selection", path("no_run"), "--output", path("c1")));
        cases.add(bad("curate: a selection that is no selection", 2, List.of(pool, "holds no selection"), List.of(path("c2")),
                "curate", "--input", s.pool(), "--selection", pool, "--output", path("c2")));
        cases.add(bad("curate: output inside the select run", 2, List.of("lies inside the input --selection"), List.of(run + "/curated"),
                "curate", "--input", s.pool(), "--selection", run, "--output", run + "/curated"));
        cases.add(bad("curate: an input without the selected uids", 2, List.of("which is not in input table", test), List.of(path("c3")),
                "curate", "--input", test, "--selection", run, "--output", path("c3")));

        // evaluate
        String[] evaluate = {"--methods", "random", "--budgets", "0.5", "--seeds", "2", "--train-steps", "12", "--batch-size", "16"};
        cases.add(bad("evaluate: a missing test table", 3, List.of("--test", "no_test"), List.of(path("e1")),
                with(new String[] {"evaluate", "--pool", pool, "--target", target, "--test", path("no_test"), "--output", path("e1")}, evaluate)));
        cases.add(bad("evaluate: test features of another width", 2, List.of("--test", wide, "width 9"), List.of(path("e2")),
                with(new String[] {"evaluate", "--pool", pool, "--target", target, "--test", wide, "--output", path("e2")}, evaluate)));
        cases.add(bad("evaluate: a test class the pool lacks", 2, List.of("--test", extraClass, "class 4"), List.of(path("e3")),
                with(new String[] {"evaluate", "--pool", pool, "--target", target, "--test", extraClass, "--output", path("e3")}, evaluate)));
        cases.add(bad("evaluate: a learning rate that diverges", 2, List.of("training diverged", "--lr", "--grad-clip"), List.of(path("e4")),
                with(new String[] {"evaluate", "--pool", pool, "--target", target, "--test", test, "--output", path("e4"),
                    "--lr", "1e4"}, evaluate)));
        cases.add(bad("evaluate: a budget above 1", 2, List.of("1.5"), List.of(path("e5")),
                "evaluate", "--pool", pool, "--target", target, "--test", test, "--output", path("e5"), "--budgets", "1.5"));

        // attribute, validate, smoothness
        cases.add(bad("attribute: missing targets", 3, List.of("--targets", "no_targets"), List.of(path("a1")),
                with(new String[] {"attribute", "--train", pool, "--targets", path("no_targets"), "--output", path("a1")}, QUICK)));
        cases.add(bad("attribute: targets of another width", 2, List.of(wide, "widths"), List.of(path("a2")),
                with(new String[] {"attribute", "--train", pool, "--targets", wide, "--output", path("a2")}, QUICK)));
        cases.add(bad("attribute: a batch larger than the pool", 2, List.of("--batch-size 512 exceeds the 120 rows"), List.of(path("a3")),
                "attribute", "--train", pool, "--targets", target, "--output", path("a3"), "--batch-size", "512"));
        cases.add(bad("validate: output equal to the training table", 2, List.of("is the same path as the input --train"), List.of(),
                with(new String[] {"validate", "--train", pool, "--targets", target, "--output", pool, "--overwrite"}, QUICK)));
        cases.add(bad("smoothness: a learning rate that diverges", 2, List.of("training diverged", "--lr"), List.of(path("m1")),
                with(new String[] {"smoothness", "--train", pool, "--output", path("m1"), "--lr", "1e4"}, QUICK)));

        // poison and tune-lr: --train, --validation, --test
        String[] poison = with(new String[] {"poison", "--train", pool, "--validation", target, "--test", test, "--mgd-steps", "1",
            "--replicas", "1", "--eval-seeds", "1"}, QUICK);
        cases.add(bad("poison: a missing validation table", 3, List.of("--validation", "no table at", "no_validation"), List.of(path("p1")),
                "poison", "--train", pool, "--validation", path("no_validation"), "--test", test, "--output", path("p1")));
        cases.add(bad("poison: test features of another width", 2, List.of(wide, "9 features per row", "has 6"), List.of(path("p2")),
                "poison", "--train", pool, "--validation", target, "--test", wide, "--output", path("p2")));
        cases.add(bad("poison: a fraction outside (0, 1)", 2, List.of("--fraction 1.5 invalid; must be in (0, 1)"), List.of(path("p3")),
                with(poison, "--output", path("p3"), "--fraction", "1.5")));
        cases.add(bad("poison: a box that excludes the data", 2, List.of("--box", "excludes the training data"), List.of(path("p4")),
                with(poison, "--output", path("p4"), "--box", "20,30")));
        cases.add(bad("poison: output inside the training table", 2, List.of("lies inside the input --train"), List.of(pool + "/poisoned"),
                with(poison, "--output", pool + "/poisoned")));
        cases.add(bad("poison: output holding only .git/, even with --overwrite", 2, List.of("repo", "never deletes what it did not create"),
                List.of(), with(poison, "--output", path("repo"), "--overwrite")));
        cases.add(bad("poison: a learning rate that diverges", 2, List.of("training diverged", "--lr"), List.of(path("p5")),
                with(poison, "--output", path("p5"), "--lr", "1e4")));
        String[] tune = with(new String[] {"tune-lr", "--train", pool, "--validation", target, "--test", test, "--mgd-steps", "1",
            "--eval-seeds", "1"}, QUICK);
        cases.add(bad("tune-lr: more knots than training steps", 2, List.of("--knots 20 invalid; must be at most --train-steps = 12"),
                List.of(path("t1")), with(tune, "--output", path("t1"), "--knots", "20")));
        cases.add(bad("tune-lr: a non-positive learning rate", 2, List.of("train.lr = -0.1 invalid; must be > 0"), List.of(path("t2")),
                with(tune, "--output", path("t2"), "--lr", "-0.1")));
        cases.add(bad("tune-lr: validation features of another width", 2, List.of(wide, "9 features per row"), List.of(path("t3")),
                "tune-lr", "--train", pool, "--validation", wide, "--test", test, "--output", path("t3")));
        cases.add(bad("tune-lr: output equal to the validation table", 2, List.of("is the same path as the input --validation"), List.of(),
                with(tune, "--output", target, "--overwrite")));
        cases.add(bad("tune-lr: a grid in which every schedule diverges", 2, List.of("every one of the 6 searched schedules diverged",
            "--grid-peaks"), List.of(path("t4")), with(tune, "--output", path("t4"), "--method", "grid", "--grid-peaks", "1e4,1e5",
                "--grid-warmups", "0", "--grid-finals", "0")));
        cases.add(bad("tune-lr: a search output holding only .git/, even with --overwrite", 2, List.of("repo", "was not made by metagrad"),
                List.of(), with(tune, "--output", path("repo"), "--method", "random", "--trials", "2", "--overwrite")));

        // demo and the command line itself
        cases.add(bad("demo: a work directory inside the sample", 2, List.of("--work-dir", "lies inside the input --sample"), List.of(path("sample/work")),
                "demo", "--sample", path("sample"), "--work-dir", path("sample/work")));
        cases.add(bad("an unknown command, even with --help", 2, List.of("unknown command 'poisson'"), List.of(), "poisson", "--help"));
        cases.add(bad("an unknown benchmark, even with --help", 2, List.of("mgd bench: unknown command 'bogus'"), List.of(),
                "bench", "bogus", "--help"));
        cases.add(bad("an unknown option", 2, List.of("Unknown option: '--bogus'"), List.of(path("x1")),
                "curate", "--input", s.pool(), "--selection", run, "--output", path("x1"), "--bogus"));

        assertTrue(cases.size() >= 40, cases.size() + " cases");
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    private static void check(Case c) throws IOException {
        StringWriter err = new StringWriter();
        CommandLine cl = Mgd.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        int code = cl.execute(c.args());
        String text = err.toString();
        assertEquals(c.code(), code, text);
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        assertTrue(last.startsWith("mgd"), "the message is the last line: " + text);
        for (String culprit : c.culprit()) {
            assertTrue(last.contains(culprit), "the message names " + culprit + ": " + last);
        }
        assertFalse(text.contains("\tat "), "no stack trace without --verbose: " + text);
        for (String out : c.absent()) {
            Path p = Path.of(out);
            assertFalse(Files.exists(p), out + " was written");
            try (Stream<Path> siblings = Files.list(p.getParent())) {
                List<String> hidden = siblings.map(x -> x.getFileName().toString())
                        .filter(n -> n.startsWith("." + p.getFileName() + ".")).toList();
                assertEquals(List.of(), hidden, "staging or journal left beside " + out);
            }
        }
        assertTrue(Files.exists(dir.resolve("repo/.git/HEAD")), "the user's directory is intact");
        assertTrue(Files.exists(Path.of(s.pool())) && Files.exists(Path.of(run, "state.json")), "inputs are intact");
    }

    @Test
    void invalidUtf8IsQuarantinedAsItIsNeverRewritten() {
        StringWriter err = new StringWriter();
        CommandLine cl = Mgd.commandLine();
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("ingest", "--input", path("raw/utf8.jsonl"), "--output", path("q1"), "--on-bad", "quarantine");
        assertEquals(0, code, err.toString());
        List<Row> good = spark.read().parquet(path("q1")).select("uid").collectAsList();
        assertEquals(List.of("a"), good.stream().map(r -> r.getString(0)).toList());
        Row bad = spark.read().parquet(path("q1_quarantine")).select(col("row"), col("error"), col("record")).first();
        assertEquals(2L, bad.getLong(0));
        assertTrue(bad.getString(1).contains("invalid UTF-8"), bad.getString(1));
        assertTrue(bad.getString(2).contains("b\\xFF"), "the bad byte is shown, not replaced: " + bad.getString(2));
        assertFalse(bad.getString(2).contains("\uFFFD"));
    }

    @Test
    void anEmptyInputIsAnEmptyPoolOnlyWhenAsked() {
        CommandLine cl = Mgd.commandLine();
        cl.setErr(new PrintWriter(new StringWriter(), true));
        assertEquals(0, cl.execute("ingest", "--input", path("raw/zero.jsonl"), "--output", path("z1"), "--allow-empty"));
        assertEquals(0, spark.read().parquet(path("z1")).count());
    }

    @Test
    void verboseAddsTheStackTrace() {
        StringWriter err = new StringWriter();
        CommandLine cl = Mgd.commandLine();
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("--verbose", "ingest", "--input", path("raw/garbage.parquet"), "--output", path("v1"));
        assertEquals(2, code);
        assertTrue(err.toString().contains("\tat "), err.toString());
        List<String> lines = err.toString().lines().filter(l -> !l.isBlank()).toList();
        assertTrue(lines.get(lines.size() - 1).startsWith("mgd ingest: "), err.toString());
    }

    private static void writeInputs() throws IOException {
        Path raw = Files.createDirectories(dir.resolve("raw"));
        Files.writeString(raw.resolve("good.jsonl"), "{\"uid\": \"a\", \"label\": 1}\n{\"uid\": \"b\", \"label\": 2}\n");
        Files.writeString(raw.resolve("typed.jsonl"), "{\"uid\": \"a\", \"label\": 1}\n{\"uid\": \"b\", \"label\": \"x\"}\n");
        byte[] noise = new byte[300];
        new java.util.Random(1).nextBytes(noise);
        Files.write(raw.resolve("garbage.parquet"), noise);
        Files.write(raw.resolve("zero.parquet"), new byte[0]);
        Files.write(raw.resolve("zero.jsonl"), new byte[0]);
        Files.writeString(raw.resolve("blank.jsonl"), "\n\n  \n");
        Files.write(raw.resolve("zero.csv"), new byte[0]);

        // A Parquet file whose footer is fine but whose first page header is overwritten.
        String clean = path("clean_parquet");
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            rows.add(RowFactory.create("u" + i, i % 3, "text " + i));
        }
        StructType poolish = new StructType().add("uid", DataTypes.StringType).add("label", DataTypes.IntegerType)
                .add("text", DataTypes.StringType);
        spark.createDataFrame(rows, poolish).coalesce(1).write().option("compression", "none").parquet(clean);
        Path part;
        try (Stream<Path> parts = Files.list(Path.of(clean))) {
            part = parts.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(part);
        Arrays.fill(bytes, 4, 40, (byte) 0x55);
        Files.write(raw.resolve("damaged.parquet"), bytes);

        StringBuilder jsonl = new StringBuilder();
        StringBuilder csv = new StringBuilder("uid,label,text\n");
        for (int i = 0; i < 20_000; i++) {
            jsonl.append("{\"uid\": \"u").append(i).append("\", \"label\": ").append(i % 3).append(", \"text\": \"row ").append(i)
                    .append(" of a longer file\"}\n");
            csv.append("u").append(i).append(",").append(i % 3).append(",row ").append(i).append(" of a longer file\n");
        }
        Files.write(raw.resolve("cut.jsonl.gz"), truncatedGzip(jsonl.toString()));
        Files.write(raw.resolve("cut.csv.gz"), truncatedGzip(csv.toString()));

        Files.write(raw.resolve("utf8.jsonl"), concat("{\"uid\": \"a\", \"label\": 1}\n{\"uid\": \"b", new byte[] {(byte) 0xFF},
                "\", \"label\": 2}\n"));
        Files.write(raw.resolve("utf8.csv"), concat("uid,label\na", new byte[] {(byte) 0xC3, (byte) 0x28}, ",1\n"));
        List<Row> utf8 = List.of(RowFactory.create("ok".getBytes(StandardCharsets.UTF_8), 1),
                RowFactory.create(new byte[] {'b', (byte) 0xFE, 'c'}, 2));
        spark.createDataFrame(utf8, new StructType().add("uid", DataTypes.BinaryType).add("label", DataTypes.IntegerType))
                .select(col("uid").cast("string").as("uid"), col("label")).coalesce(1).write().parquet(path("utf8_parquet"));
        try (Stream<Path> parts = Files.list(Path.of(path("utf8_parquet")))) {
            Files.copy(parts.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow(), raw.resolve("utf8.parquet"));
        }

        Files.createDirectories(dir.resolve("repo/.git"));
        Files.writeString(dir.resolve("repo/.git/HEAD"), "ref: refs/heads/main\n");
        Files.createDirectories(dir.resolve("sample"));
    }

    private static byte[] truncatedGzip(String text) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        byte[] all = b.toByteArray();
        return Arrays.copyOf(all, all.length / 2);
    }

    private static byte[] concat(String a, byte[] middle, String c) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(a.getBytes(StandardCharsets.UTF_8));
        b.writeBytes(middle);
        b.writeBytes(c.getBytes(StandardCharsets.UTF_8));
        return b.toByteArray();
    }
}
