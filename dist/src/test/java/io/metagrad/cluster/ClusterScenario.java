package io.metagrad.cluster;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;

/**
 * The whole loopback setup of the cluster test and of {@code scripts/cluster-demo.sh}: an emulated Spark
 * distribution, s3proxy, a standalone Master with two Workers, the shipped sample uploaded to a bucket, and a
 * local Spark session in this JVM that runs the reference pipeline and reads every output back. Each
 * submission is recorded with where its driver and executors ran.
 */
final class ClusterScenario implements AutoCloseable {

    static final String BUCKET = "mgd";
    static final String LAKE = "lake";
    /** The Iceberg table the cluster-mode run curates into. */
    static final String TABLE = LAKE + ".db.curated";

    /** What the build made and where the scenario works. */
    record Settings(Path appJar, Path sparkDistClasspath, Path s3proxyJar, Path sample, Path nativeJar, Path work) {
        static Settings fromSystemProperties(Path work) {
            return new Settings(Path.of(need("mgd.app.jar")), Path.of(need("mgd.spark.dist.classpath")),
                    Path.of(need("mgd.s3proxy.jar")), Path.of(need("mgd.sample")), Path.of(need("mgd.native.jar")), work);
        }

        private static String need(String key) {
            String v = System.getProperty(key);
            if (v == null || !Files.exists(Path.of(v))) {
                throw new IllegalStateException("system property " + key + " (" + v + ") must name a file the build made");
            }
            return v;
        }
    }

    /** One submission: what ran, in which mode, how long, and on which workers its driver and executors were. */
    record Ran(String job, Submit.Mode mode, double seconds, String driver, String executors) {
        String line() {
            return String.format(Locale.ROOT, "  %-17s %-7s %6.1f s  driver: %-34s executors: %s", job,
                    mode.name().toLowerCase(Locale.ROOT), seconds, driver, executors);
        }
    }

    final Settings settings;
    final SparkHome home;
    final S3Server s3;
    final LoopbackCluster cluster;
    final Submit submit;
    final SparkSession spark;
    final List<Ran> ran = new ArrayList<>();
    private final PrintStream out;

    private ClusterScenario(Settings settings, PrintStream out, SparkHome home, S3Server s3, LoopbackCluster cluster, SparkSession spark) {
        this.settings = settings;
        this.out = out;
        this.home = home;
        this.s3 = s3;
        this.cluster = cluster;
        this.spark = spark;
        this.submit = new Submit(home, cluster.masterUrl(), settings.appJar(), settings.work().resolve("submit"))
                .conf(s3.s3aConf(true));
    }

    /** Starts everything; on any failure stops what had started. */
    static ClusterScenario start(Settings settings, PrintStream out) {
        SparkHome home = null;
        S3Server s3 = null;
        LoopbackCluster cluster = null;
        try {
            deleteTree(settings.work());
            home = SparkHome.create(settings.work().resolve("spark-home"), settings.sparkDistClasspath());
            out.println("SPARK_HOME " + home.path() + ": " + home.jarCount() + " jars of Spark's own runtime, nothing else");
            s3 = S3Server.start(settings.s3proxyJar(), settings.work().resolve("s3proxy"));
            s3.createBucket(BUCKET);
            out.println("s3proxy (transient backend) at " + s3.endpoint() + ", bucket s3a://" + BUCKET);
            cluster = LoopbackCluster.start(home, settings.work().resolve("cluster"), 2, 2, "2g", Map.of());
            out.println("standalone master " + cluster.masterUrl() + " with 2 workers (2 task slots, 2 GB each)");
            SparkSession spark = lakeSession(s3, BUCKET).master("local[2]").appName("cluster-scenario")
                    .config("spark.sql.shuffle.partitions", "8").getOrCreate();
            ClusterScenario s = new ClusterScenario(settings, out, home, s3, cluster, spark);
            s.upload(settings.sample(), "s3a://" + BUCKET + "/sample");
            return s;
        } catch (RuntimeException e) {
            if (cluster != null) {
                cluster.close();
            }
            if (s3 != null) {
                s3.close();
            }
            throw e;
        }
    }

    /**
     * A driver-side session of the harness (it checks outputs, makes input tables): UI off, bound to
     * loopback, s3a:// on {@code s3} and the Iceberg Hadoop catalog {@code lake} in
     * {@code s3a://BUCKET/warehouse}, as the README's jobs configure theirs. The caller sets master and name.
     */
    static SparkSession.Builder lakeSession(S3Server s3, String bucket) {
        SparkSession.Builder b = SparkSession.builder().config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.catalog." + LAKE, "org.apache.iceberg.spark.SparkCatalog")
                .config("spark.sql.catalog." + LAKE + ".type", "hadoop")
                .config("spark.sql.catalog." + LAKE + ".warehouse", "s3a://" + bucket + "/warehouse");
        s3.s3aConf(true).forEach(b::config);
        return b;
    }

    private void upload(Path local, String remote) {
        try {
            org.apache.hadoop.fs.Path to = new org.apache.hadoop.fs.Path(remote);
            FileSystem fs = to.getFileSystem(spark.sparkContext().hadoopConfiguration());
            fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(local.toUri()), to);
            out.println("uploaded " + local + " to " + remote + " (" + Outputs.files(spark, remote).size() + " objects)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sample pipeline on local Spark in this JVM (file://): the reference. */
    Outputs localRun() {
        Pipeline p = new Pipeline(settings.sample().toUri().toString(), settings.work().resolve("local").toUri().toString());
        long start = System.nanoTime();
        p.prepare().forEach(step -> LocalRun.run(spark, step));
        LocalRun.run(spark, p.select());
        LocalRun.run(spark, p.curate(p.selectRun(), p.curateOutput(), null, null));
        ran.add(new Ran("pipeline", Submit.Mode.CLIENT, (System.nanoTime() - start) / 1e9, "local[2] in this JVM", "-"));
        return Outputs.read(spark, p.selectRun(), p.curateOutput(), null);
    }

    /** ingest → featurize → select → curate by spark-submit on the cluster, s3a:// in and out. */
    Outputs clusterRun(Submit.Mode mode, String prefix, boolean iceberg) {
        Pipeline p = pipeline(prefix);
        for (Pipeline.Step step : p.prepare()) {
            submitted(step, mode);
        }
        return selectAndCurate(mode, p, p, iceberg);
    }

    /**
     * select → curate by spark-submit over the features and pool an earlier run made under {@code inputs}, writing
     * under {@code outputs}.
     */
    Outputs selectAndCurate(Submit.Mode mode, String inputsPrefix, String outputsPrefix, boolean iceberg) {
        return selectAndCurate(mode, pipeline(inputsPrefix), pipeline(outputsPrefix), iceberg);
    }

    private Outputs selectAndCurate(Submit.Mode mode, Pipeline in, Pipeline out, boolean iceberg) {
        Pipeline p = in;
        Pipeline.Step select = p.select(out.selectRun(), Pipeline.STEPS, Pipeline.TRAIN_STEPS);
        submitted(select, mode);
        submitted(p.curate(out.selectRun(), out.curateOutput(), iceberg ? TABLE : null, iceberg ? "s3a://" + BUCKET + "/warehouse" : null),
                mode);
        if (iceberg) {
            spark.sql("REFRESH TABLE " + TABLE);
        }
        return Outputs.read(spark, out.selectRun(), out.curateOutput(), iceberg ? TABLE : null);
    }

    Pipeline pipeline(String prefix) {
        return new Pipeline("s3a://" + BUCKET + "/sample", "s3a://" + BUCKET + "/" + prefix);
    }

    /** Submits a step, fails with its log unless it succeeds, and records where it ran. */
    Submit.Result submitted(Pipeline.Step step, Submit.Mode mode) {
        return submitted(step, mode, Map.of(), settings.appJar());
    }

    Submit.Result submitted(Pipeline.Step step, Submit.Mode mode, Map<String, String> extra, Path jar) {
        Set<Path> before = executorDirs();
        Submit.Result r = submit.run(step.name(), mode, step.mainClass(), step.args(), extra, jar);
        if (!r.ok()) {
            throw new IllegalStateException(step.name() + " (" + mode + ") exited " + r.exitCode() + "; log " + r.log() + "\n"
                    + tail(r.output()) + driverLog(r));
        }
        record(step.name(), mode, r.seconds(), r.driverId(), before);
        return r;
    }

    void record(String job, Submit.Mode mode, double seconds, String driverId, Set<Path> before) {
        Set<Path> now = executorDirs();
        now.removeAll(before);
        String executors = now.stream().map(d -> d.getParent().getParent().getFileName() + "/" + d.getFileName())
                .sorted().collect(Collectors.joining(", "));
        String driver = mode == Submit.Mode.CLIENT ? "spark-submit JVM (client)"
                : driverId + " on " + workerOf(driverId).orElse("?");
        ran.add(new Ran(job, mode, seconds, driver, executors.isEmpty() ? "-" : executors));
        out.println(ran.get(ran.size() - 1).line());
        dropJarCopies();
    }

    /** {@code worker-N/app-ID/EXEC} of every executor the workers have run so far. */
    Set<Path> executorDirs() {
        Set<Path> dirs = new TreeSet<>();
        for (Path w : cluster.workDirs()) {
            try (var apps = Files.list(w)) {
                for (Path app : apps.filter(p -> p.getFileName().toString().startsWith("app-")).toList()) {
                    try (var execs = Files.list(app)) {
                        execs.filter(Files::isDirectory).forEach(dirs::add);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dirs;
    }

    private Optional<String> workerOf(String driverId) {
        if (driverId == null) {
            return Optional.empty();
        }
        for (Path w : cluster.workDirs()) {
            if (Files.isDirectory(w.resolve(driverId))) {
                return Optional.of(w.getFileName().toString());
            }
        }
        return Optional.empty();
    }

    private String driverLog(Submit.Result r) {
        Optional<String> w = workerOf(r.driverId());
        if (w.isEmpty()) {
            return "";
        }
        try {
            return "\ndriver stderr:\n" + tail(Files.readString(settings.work().resolve("cluster").resolve(w.get())
                    .resolve(r.driverId()).resolve("stderr")));
        } catch (IOException e) {
            return "";
        }
    }

    /** Executors and cluster-mode drivers keep a copy of the application jar each; only their logs are needed. */
    private void dropJarCopies() {
        for (Path w : cluster.workDirs()) {
            try (var s = Files.walk(w)) {
                for (Path jar : s.filter(p -> p.toString().endsWith(".jar")).toList()) {
                    Files.deleteIfExists(jar);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- faults

    /** Evidence of the fault run: what was killed and what the logs said after. */
    record FaultRun(List<String> selection, long executorPid, int stepsBeforeDriverKill, String firstLog, String rerunLog) {}

    /**
     * select (client mode, s3a) over the client run's features; kill -9 one Worker's executor JVM while it runs a
     * task of MGD step 1's metagradient stage, then kill -9 the driver during step 2's, then rerun the same command.
     */
    FaultRun faults(String featuresPrefix) {
        Pipeline p = pipeline(featuresPrefix);
        String run = "s3a://" + BUCKET + "/faults/select";
        Pipeline.Step step = p.select(run, Pipeline.STEPS, Pipeline.TRAIN_STEPS);
        int uiPort = Child.freePort();
        Map<String, String> ui = Map.of("spark.ui.enabled", "true", "spark.ui.port", "" + uiPort,
                "spark.port.maxRetries", "0", "spark.task.maxFailures", "4");
        Set<Path> before = executorDirs();
        long start = System.nanoTime();
        long killedExecutor;
        String firstLog;
        try (Child first = submit.start("select-faults", Submit.Mode.CLIENT, step.mainClass(), step.args(), ui, settings.appJar())) {
            SparkRest rest = new SparkRest(uiPort);
            String executorId = rest.awaitRunningTask("mgd step 1/", Duration.ofMinutes(4), first);
            killedExecutor = pidOfExecutor(executorId);
            out.println("  kill -9 executor " + executorId + " (pid " + killedExecutor + ") while it runs a task of MGD step 1");
            ProcessHandle.of(killedExecutor).ifPresent(ProcessHandle::destroyForcibly);
            rest.awaitRunningTask("mgd step 2/", Duration.ofMinutes(4), first);
            out.println("  kill -9 the driver (spark-submit pid " + first.pid() + ") during MGD step 2");
            first.close();
            firstLog = first.output();
        }
        record("select+kills", Submit.Mode.CLIENT, (System.nanoTime() - start) / 1e9, null, before);
        int done = completedSteps(run);
        Submit.Result rerun = submitted(new Pipeline.Step("select-rerun", step.mainClass(), step.args()), Submit.Mode.CLIENT);
        return new FaultRun(Outputs.selection(spark, run), killedExecutor, done, firstLog, rerun.output());
    }

    private long pidOfExecutor(String executorId) {
        for (int w = 0; w < cluster.workDirs().size(); w++) {
            for (Map.Entry<Long, String> e : cluster.executorJvms(w).entrySet()) {
                if (e.getValue().matches(".*--executor-id " + executorId + " .*")) {
                    return e.getKey();
                }
            }
        }
        throw new IllegalStateException("no executor JVM with id " + executorId);
    }

    /** Steps whose metrics line a select run has written. */
    int completedSteps(String run) {
        return (int) spark.read().text(run + "/metrics.jsonl").count() - 1;
    }

    // ------------------------------------------------------------------------------- libtorch from the nodes

    /** What the slim-jar run used and measured. */
    record SlimRun(List<String> selection, long allBytes, long slimBytes, double slimSeconds, Path cacheDir, double prepareSeconds) {}

    /**
     * The alternative to shipping libtorch in the jar: the jar without it, and each node's libtorch prepared once
     * under {@code ENGINE_CACHE_DIR} (unzipped from the native jar). select over the client run's features.
     */
    SlimRun nativesFromNodeCache(String featuresPrefix) {
        Path slim = settings.work().resolve("metagrad-slim.jar");
        long t0 = System.nanoTime();
        withoutLibtorch(settings.appJar(), slim);
        double slimSeconds = (System.nanoTime() - t0) / 1e9;
        Path cache = settings.work().resolve("engine-cache");
        t0 = System.nanoTime();
        prepareEngineCache(settings.nativeJar(), cache);
        double prepareSeconds = (System.nanoTime() - t0) / 1e9;
        Pipeline p = pipeline(featuresPrefix);
        String run = "s3a://" + BUCKET + "/slim/select";
        submitted(p.select(run, Pipeline.STEPS, Pipeline.TRAIN_STEPS), Submit.Mode.CLIENT,
                Map.of("spark.executorEnv.ENGINE_CACHE_DIR", cache.toString()), slim);
        try {
            return new SlimRun(Outputs.selection(spark, run), Files.size(settings.appJar()), Files.size(slim), slimSeconds, cache,
                    prepareSeconds);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The application jar minus the libtorch natives ({@code zip -d JAR 'pytorch/*' native/lib/pytorch.properties}). */
    static void withoutLibtorch(Path all, Path slim) {
        try (ZipFile in = new ZipFile(all.toFile()); ZipOutputStream o = new ZipOutputStream(Files.newOutputStream(slim))) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                if (e.getName().startsWith("pytorch/") || e.getName().equals("native/lib/pytorch.properties")) {
                    continue;
                }
                o.putNextEntry(new ZipEntry(e.getName()));
                in.getInputStream(e).transferTo(o);
                o.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A node's libtorch, as DJL finds it offline without the native jar: the four libraries of
     * {@code pytorch-native-cpu} under {@code ENGINE_CACHE_DIR/pytorch/2.7.1-cpu-linux-x86_64/}.
     */
    static void prepareEngineCache(Path nativeJar, Path cache) {
        try (ZipFile in = new ZipFile(nativeJar.toFile())) {
            Path dir = Files.createDirectories(cache.resolve("pytorch/2.7.1-cpu-linux-x86_64"));
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                if (!e.isDirectory() && e.getName().startsWith("pytorch/cpu/linux-x86_64/")) {
                    Files.copy(in.getInputStream(e), dir.resolve(Path.of(e.getName()).getFileName()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // -------------------------------------------------------------------------------------- credentials

    /** Every output object under the bucket and every log of the cluster, spark-submit and the drivers that holds {@code text}. */
    List<String> holding(String text) {
        List<String> found = new ArrayList<>();
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        for (org.apache.hadoop.fs.Path p : Outputs.files(spark, "s3a://" + BUCKET + "/")) {
            try (var in = p.getFileSystem(spark.sparkContext().hadoopConfiguration()).open(p)) {
                if (contains(in.readAllBytes(), needle)) {
                    found.add(p.toString());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        List<Path> logs = new ArrayList<>(cluster.logs());
        try (var s = Files.walk(settings.work().resolve("submit"))) {
            s.filter(Files::isRegularFile).forEach(logs::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (var s = Files.walk(settings.work().resolve("local"))) {
            s.filter(Files::isRegularFile).forEach(logs::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path log : logs) {
            try {
                if (contains(Files.readAllBytes(log), needle)) {
                    found.add(log.toString());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }

    /** How many objects and log files {@link #holding} looks at. */
    int[] scanned() {
        int objects = Outputs.files(spark, "s3a://" + BUCKET + "/").size();
        return new int[] {objects, cluster.logs().size()};
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    void printRuns() {
        out.println("what ran where:");
        ran.forEach(r -> out.println(r.line()));
    }

    private static String tail(String s) {
        return s.length() > 5000 ? "…" + s.substring(s.length() - 5000) : s;
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    @Override
    public void close() {
        try {
            spark.stop();
        } finally {
            try {
                cluster.close();
            } finally {
                s3.close();
            }
        }
    }

    /** The driver's monitoring REST API, to time faults to a running stage. */
    static final class SparkRest {
        private final int port;
        private final HttpClient http = HttpClient.newHttpClient();

        SparkRest(int port) {
            this.port = port;
        }

        private Optional<JsonElement> get(String path) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1" + path))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 ? Optional.of(JsonParser.parseString(r.body())) : Optional.empty();
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /**
         * Waits until a running job whose description starts with {@code job} has a task RUNNING on an executor;
         * returns that executor's id.
         */
        String awaitRunningTask(String job, Duration timeout, Child driver) {
            String[] executor = new String[1];
            Child.await("a running task of '" + job + "'", timeout, () -> {
                if (!driver.alive()) {
                    throw new IllegalStateException("the driver ended early:\n" + driver.tail());
                }
                executor[0] = runningTask(job);
                return executor[0] != null;
            });
            return executor[0];
        }

        private String runningTask(String job) {
            Optional<JsonElement> apps = get("/applications");
            if (apps.isEmpty() || apps.get().getAsJsonArray().isEmpty()) {
                return null;
            }
            String app = apps.get().getAsJsonArray().get(0).getAsJsonObject().get("id").getAsString();
            Optional<JsonElement> jobs = get("/applications/" + app + "/jobs?status=running");
            if (jobs.isEmpty()) {
                return null;
            }
            for (JsonElement j : jobs.get().getAsJsonArray()) {
                var o = j.getAsJsonObject();
                if (!o.has("description") || !o.get("description").getAsString().startsWith(job)) {
                    continue;
                }
                for (JsonElement stage : o.getAsJsonArray("stageIds")) {
                    Optional<JsonElement> tasks = get("/applications/" + app + "/stages/" + stage.getAsInt() + "/0/taskList?length=50");
                    if (tasks.isEmpty()) {
                        continue;
                    }
                    JsonArray list = tasks.get().getAsJsonArray();
                    for (JsonElement t : list) {
                        var task = t.getAsJsonObject();
                        if ("RUNNING".equals(task.get("status").getAsString())) {
                            return task.get("executorId").getAsString();
                        }
                    }
                }
            }
            return null;
        }
    }
}
