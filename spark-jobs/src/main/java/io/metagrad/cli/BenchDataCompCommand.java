package io.metagrad.cli;

import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.bench.LoadSampler;
import io.metagrad.spark.bench.SelectBenchmark;
import io.metagrad.spark.bench.SyntheticDataComp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mgd bench datacomp}: the DataComp flow on a synthetic DataComp-shaped pool, timed stage by stage. Every
 * stage after the generator is the {@code mgd} command a user runs, run in this JVM on one Spark session, so the
 * figures are those of the streaming jobs themselves.
 */
@Command(name = "datacomp", mixinStandardHelpOptions = true,
        description = {
            "Generates a seeded synthetic DataComp-shaped pool (--rows, --dim, --shards: NNNNNNNN.parquet + .npz, one Spark",
            "task per shard), then runs ingest --format datacomp, featurize passthrough, select --method basic, clip-score",
            "(--score-column clip_b32_similarity_score, 30 %), text-based, image-based, clip-image, mgd (CLIP head, one MGD",
            "step) and curate --npy of the MGD run, and prints one JSON line: each stage's seconds and rows per second, what",
            "each selection kept, the load average while it ran. Progress of each stage goes to stderr."})
final class BenchDataCompCommand implements Runnable {

    @Option(names = "--rows", defaultValue = "1000000", description = "Pool rows (default: ${DEFAULT-VALUE}).")
    long rows;

    @Option(names = "--dim", defaultValue = "64", description = "Embedding width of b32_img and b32_txt (default: ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--shards", defaultValue = "16", description = "Shards, one Spark task each (default: ${DEFAULT-VALUE}).")
    int shards;

    @Option(names = "--targets-per-class", defaultValue = "50",
            description = "Clean target pairs per class (default: ${DEFAULT-VALUE}).")
    int targetsPerClass;

    @Option(names = "--clusters", defaultValue = "16", description = "KMeans clusters of image-based (default: ${DEFAULT-VALUE}).")
    int clusters;

    @Option(names = "--projection-dim", defaultValue = "16", description = "CLIP head width (default: ${DEFAULT-VALUE}).")
    int projection;

    @Option(names = "--batch-size", defaultValue = "1024", description = "MGD training batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seed", defaultValue = "17", description = "Seed of the pool (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--work-dir", required = true,
            description = "A new directory for the shards, tables and runs (left in place: delete it when done).")
    String workDir;

    private final Map<String, Object> stages = new LinkedHashMap<>();
    private final Map<String, Object> kept = new LinkedHashMap<>();

    @Override
    public void run() {
        Path work = Path.of(workDir).toAbsolutePath();
        if (Files.exists(work)) {
            throw new IllegalArgumentException("bench work directory " + work + " exists; give another --work-dir");
        }
        SyntheticDataComp pool = new SyntheticDataComp(rows, dim, shards, seed);
        SparkSession spark = SparkSessions.getOrCreate("mgd bench datacomp");
        String shardsDir = p(work, "shards");
        String meta = p(work, "pool");
        String features = p(work, "features");
        String target = p(work, "target");
        String prompts = p(work, "prompts");
        String[] clip = {"--model", "CLIP", "--projection-dim", "" + projection, "--batch-size", "" + batch, "--epochs", "1"};
        String[] common = {"--pool", features, "--target", target};
        String[] metadata = {"--metadata", meta};
        String[] score = {"--score-column", "clip_b32_similarity_score", "--keep-fraction", "0.3"};
        LoadSampler load = LoadSampler.start();
        try {
            time("generate", () -> {
                pool.writeShards(spark, shardsDir, false);
                pool.writeTargets(spark, target, targetsPerClass, false);
                pool.writePrompts(spark, prompts, false);
            });
            time("ingest", () -> mgd("ingest", "--format", "datacomp", "--input", shardsDir, "--output", meta,
                    "--keep-column", "caption_kind", "--require", "emb_b32_img,emb_b32_txt"));
            time("featurize", () -> mgd("featurize", "--input", meta, "--output", features, "--featurizer", "passthrough",
                    "--embedding", "b32_img", "--target-embedding", "b32_txt"));
            select(spark, work, "basic", common, metadata, new String[] {"--method", "basic"});
            select(spark, work, "clip-score", common, metadata, score, new String[] {"--method", "clip-score"});
            select(spark, work, "text-based", common, metadata, clip, new String[] {"--method", "text-based", "--prompts", prompts});
            select(spark, work, "image-based", common, new String[] {"--method", "image-based", "--clusters", "" + clusters});
            select(spark, work, "clip-image", common, metadata, score, new String[] {"--method", "clip-image", "--clusters",
                "" + clusters});
            select(spark, work, "mgd", common, clip, new String[] {"--method", "mgd", "--keep-fraction", "0.3", "--mgd-steps",
                "1", "--replicas", "2"});
            time("curate_npy", () -> mgd("curate", "--npy", "--input", meta, "--selection", p(work, "runs/mgd"), "--output",
                    p(work, "submissions/mgd")));
        } finally {
            load.stop();
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("bench", "datacomp");
        line.put("rows", rows);
        line.put("dim", dim);
        line.put("shards", shards);
        line.put("classes", SyntheticDataComp.CLASSES.size());
        line.put("embedding_bytes", rows * dim * 4 * 2);
        line.put("stages", stages);
        line.put("total_seconds", BenchCommand.round(stages.values().stream()
                .mapToDouble(s -> (Double) ((Map<?, ?>) s).get("seconds")).sum()));
        line.put("kept", kept);
        line.put("mgd", Map.of("model", "CLIP", "projection_dim", projection, "batch_size", batch, "epochs", 1, "mgd_steps", 1,
                "replicas", 2, "keep_fraction", 0.3));
        line.put("load_average_1m", load.describe());
        line.put("cores", Runtime.getRuntime().availableProcessors());
        line.put("heap_max_mb", Math.round(Runtime.getRuntime().maxMemory() / 1048576.0));
        line.put("process_rss_peak_mb", Math.round(SelectBenchmark.rssPeakBytes() / 1048576.0));
        BenchCommand.print(line);
    }

    /** Runs {@code select} (the method's own flags) into {@code runs/NAME}, timed, and records what it kept. */
    private void select(SparkSession spark, Path work, String name, String[]... flags) {
        List<String> args = new ArrayList<>(List.of("select", "--output", p(work, "runs/" + name)));
        Arrays.stream(flags).forEach(f -> args.addAll(List.of(f)));
        time("select_" + name.replace('-', '_'), () -> mgd(args.toArray(String[]::new)));
        kept.put(name, spark.read().parquet(p(work, "runs/" + name + "/selection")).count());
    }

    private void time(String stage, Runnable work) {
        System.err.println("bench datacomp: " + stage + " …");
        long start = System.nanoTime();
        work.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("seconds", BenchCommand.round(seconds));
        s.put("rows_per_second", Math.round(rows / seconds));
        stages.put(stage, s);
        // each stage's figure as it finishes, so a run stopped early still shows what it measured
        System.err.println(String.format(Locale.ROOT, "bench datacomp: %s finished in %.1f s (%d rows/s)", stage, seconds,
                Math.round(rows / seconds)));
    }

    private static void mgd(String... args) {
        int code = Mgd.commandLine().execute(args);
        if (code != 0) {
            throw new IllegalStateException("bench datacomp: mgd " + String.join(" ", args) + " exited " + code);
        }
    }

    private static String p(Path work, String name) {
        return work.resolve(name).toString();
    }
}
