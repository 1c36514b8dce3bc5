package io.metagrad.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;

/**
 * {@code scripts/readme-commands.sh}: runs the README's copy-paste blocks of "Three ways to run" as written, with
 * only their placeholders filled in: {@code spark://MASTER:7077} becomes a standalone Master with two Workers on
 * loopback, {@code D=hdfs://…} a {@code file://} directory, {@code https://s3.example.internal} s3proxy holding
 * the bucket {@code bucket}. {@code $SPARK_HOME} is an emulated distribution (Spark's own jars, and a
 * {@code bin/spark-submit} that is {@code java -cp "$SPARK_HOME/conf:$SPARK_HOME/jars/*" SparkSubmit}). The
 * S3 credentials reach the jobs only as the standard AWS environment variables of the shell and of the Workers,
 * as an instance's would. Each block runs in {@code bash -euo pipefail}, so a command that fails stops it; at
 * the end the selection and curated rows of the {@code file://} and the {@code s3a://}+Iceberg runs (whose raw
 * pool is an Iceberg table) must be equal bit for bit. Cluster-mode spark-submit exits 0 even for a failed job, so
 * every job's final state must be FINISHED too.
 */
public final class ReadmeCommands {

    private static final String SECTION = "## Three ways to run";
    private static final String BUCKET = "bucket";
    private static final String RAW_POOL = "lake.db.raw_pool";

    private ReadmeCommands() {}

    public static void main(String[] args) throws IOException {
        Path work = Path.of(args.length > 0 ? args[0] : "runs/readme-commands").toAbsolutePath();
        ClusterScenario.Settings settings = ClusterScenario.Settings.fromSystemProperties(work);
        List<String> blocks = bashBlocks(Files.readString(Path.of("README.md")));
        if (blocks.size() < 2) {
            throw new IllegalStateException("README.md: expected the spark-submit and the s3a:// blocks under '" + SECTION + "'");
        }
        long start = System.nanoTime();
        ClusterScenario.deleteTree(work);
        SparkHome home = SparkHome.create(work.resolve("spark-home"), settings.sparkDistClasspath());
        Path submit = home.writeSparkSubmit();
        System.out.println("SPARK_HOME " + home.path() + " (" + home.jarCount() + " jars); " + submit);
        boolean equal;
        try (S3Server s3 = S3Server.start(settings.s3proxyJar(), work.resolve("s3proxy"))) {
            s3.createBucket(BUCKET);
            Map<String, String> aws = Map.of("AWS_ACCESS_KEY_ID", s3.accessKey, "AWS_SECRET_ACCESS_KEY", s3.secretKey);
            try (LoopbackCluster cluster = LoopbackCluster.start(home, work.resolve("cluster"), 2, 2, "3g", aws)) {
                System.out.println("standalone master " + cluster.masterUrl() + " with 2 workers; s3proxy at " + s3.endpoint());
                String fileBase = work.resolve("file").toUri().toString().replaceAll("/$", "");
                String s3Base = "s3a://" + BUCKET + "/mgd";
                SparkSession spark = session(s3);
                copy(spark, settings.sample(), fileBase + "/raw", List.of("pool", "target"));
                copy(spark, settings.sample(), s3Base + "/raw", List.of("target"));
                // block 3's raw pool is a user's Iceberg table
                spark.read().parquet(settings.sample().resolve("pool").toString()).writeTo(RAW_POOL).create();
                System.out.println("raw pool as the Iceberg table " + RAW_POOL + " (warehouse s3a://" + BUCKET + "/warehouse)");
                String prelude = String.join("\n", "cd " + quote(Path.of("").toAbsolutePath().toString()),
                        "JAR=" + quote(settings.appJar().toString()), "");
                String cluster2 = fill(blocks.get(0), cluster.masterUrl(), fileBase, s3.endpoint());
                String cluster3 = fill(blocks.get(1), cluster.masterUrl(), fileBase, s3.endpoint());
                run("2. spark-submit to a cluster", prelude + withoutJar(cluster2), home, aws, work.resolve("block-2.log"));
                // block 3 reuses block 2's settings (JAR, FLAGS, SUBMIT): run them first, without its commands
                run("3. the same with s3a:// and Iceberg", prelude + withoutJar(settingsOnly(cluster2)) + cluster3, home, aws,
                        work.resolve("block-3.log"));
                spark.sql("REFRESH TABLE lake.db.curated");
                Outputs onFiles = Outputs.read(spark, fileBase + "/select", fileBase + "/curate", null);
                Outputs onS3 = Outputs.read(spark, s3Base + "/select", s3Base + "/curate", "lake.db.curated");
                boolean selection = onFiles.selection().equals(onS3.selection());
                boolean curated = onFiles.curated().equals(onS3.curated());
                boolean npy = onFiles.npySha256().equals(onS3.npySha256());
                System.out.printf(Locale.ROOT, "file:// vs s3a:// + Iceberg: selection (%d rows) %s, subset.npy %s, curated rows (%d) %s%n",
                        onS3.selection().size(), word(selection), word(npy), onS3.curated().size(), word(curated));
                equal = selection && curated && npy;
                spark.stop();
            }
        }
        System.out.printf(Locale.ROOT, "done in %.0f s; logs under %s%n", (System.nanoTime() - start) / 1e9, work);
        if (!equal) {
            System.exit(1);
        }
    }

    /** The {@code ```bash} blocks of the section, in order. */
    static List<String> bashBlocks(String readme) {
        int from = readme.indexOf(SECTION);
        int to = readme.indexOf("\n## ", from + SECTION.length());
        String section = readme.substring(from, to < 0 ? readme.length() : to);
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("```bash\n(.*?)```", Pattern.DOTALL).matcher(section);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    /** The placeholders a reader replaces: the master's address, the shared directory, the S3 endpoint. */
    static String fill(String block, String master, String fileBase, String endpoint) {
        return block.replace("spark://MASTER:7077", master)
                .replaceAll("(?m)^D=hdfs://\\S+", "D=" + Matcher.quoteReplacement(fileBase))
                .replace("https://s3.example.internal", endpoint);
    }

    /** The block's variable assignments (its lines up to the first command). */
    private static String settingsOnly(String block) {
        StringBuilder b = new StringBuilder();
        for (String line : block.split("\n", -1)) {
            if (line.startsWith("eval ")) {
                break;
            }
            b.append(line).append('\n');
        }
        return b.toString();
    }

    /** The README's JAR= is relative to the repository; the prelude sets it to the jar this build made. */
    private static String withoutJar(String block) {
        return block.replaceAll("(?m)^JAR=.*\n", "");
    }

    private static void run(String what, String script, SparkHome home, Map<String, String> aws, Path log) {
        System.out.println("[" + what + "] " + script.lines().filter(l -> l.startsWith("eval ")).count() + " spark-submit commands");
        try {
            Files.writeString(log.resolveSibling(log.getFileName() + ".sh"), script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> env = new java.util.HashMap<>(home.env());
        env.putAll(aws);
        long start = System.nanoTime();
        try (Child bash = Child.start(what, List.of("bash", "-euo", "pipefail", "-xc", script), env, log)) {
            int code = bash.waitFor(Duration.ofMinutes(45));
            if (code != 0) {
                throw new IllegalStateException(what + ": exited " + code + "; log " + log + "\n" + bash.tail());
            }
            // cluster mode exits 0 whatever the job did: its final state is the proof
            String output = bash.output();
            long submitted = script.lines().filter(l -> l.startsWith("eval ")).count();
            long finished = Pattern.compile(" is FINISHED, exiting spark-submit JVM").matcher(output).results().count();
            if (finished != submitted) {
                throw new IllegalStateException(what + ": " + finished + " of " + submitted + " jobs FINISHED; log " + log);
            }
        }
        System.out.printf(Locale.ROOT, "[%s] passed in %.0f s (log %s)%n", what, (System.nanoTime() - start) / 1e9, log);
    }

    private static SparkSession session(S3Server s3) {
        return ClusterScenario.lakeSession(s3, BUCKET).master("local[1]").appName("readme-commands").getOrCreate();
    }

    /** The sample's pool and target tables as the raw Parquet the README's ingest reads. */
    private static void copy(SparkSession spark, Path sample, String raw, List<String> tables) throws IOException {
        for (String table : tables) {
            org.apache.hadoop.fs.Path to = new org.apache.hadoop.fs.Path(raw + "/" + table);
            FileSystem fs = to.getFileSystem(spark.sparkContext().hadoopConfiguration());
            fs.mkdirs(to);
            try (var files = Files.list(sample.resolve(table))) {
                for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".parquet")).toList()) {
                    fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(f.toUri()), to);
                }
            }
        }
        System.out.println("raw tables " + tables + " under " + raw);
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static String word(boolean b) {
        return b ? "equal" : "DIFFERENT";
    }
}
