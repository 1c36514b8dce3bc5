package io.metagrad.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.metagrad.core.bench.MetagradBenchmark;
import io.metagrad.core.replay.ReplayPlan;
import io.metagrad.spark.bench.SelectBenchmark;
import io.metagrad.spark.select.JobSession;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Benchmarks that print figures as JSON lines. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks; each prints one JSON object per line.",
        subcommands = {BenchCommand.Metagrad.class, BenchCommand.Select.class})
final class BenchCommand implements Runnable {

    @Override
    public void run() {
        throw new IllegalArgumentException("Specify a benchmark: mgd bench metagrad | select");
    }

    @Command(name = "metagrad", mixinStandardHelpOptions = true,
            description = {
                "Trains an MLP 512→256→10 (batch 256, SGD with momentum) on a fixed seeded problem, then",
                "computes the metagradient of the mean target loss with respect to every example's weight.",
                "Prints one JSON line per k: steps, k, train_seconds, metagrad_seconds, ratio",
                "(metagrad ÷ train, same process), peak_states, peak_state_bytes, rss_mb, …"})
    static final class Metagrad implements Runnable {

        @Option(names = "--steps", defaultValue = "400", description = "Training steps T (default: ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--k", split = ",", description = "REPLAY branching factors (default: 2, 4, ⌈√T⌉, T).")
        int[] ks;

        @Option(names = "--examples", defaultValue = "4096", description = "Pool size (default: ${DEFAULT-VALUE}).")
        int examples;

        @Option(names = "--seed", defaultValue = "0", description = "Seed of the problem (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public void run() {
            int[] chosen = ks != null ? ks : defaultKs(steps);
            Gson gson = new GsonBuilder().disableHtmlEscaping().create();
            MetagradBenchmark.run(new MetagradBenchmark.Options(steps, chosen, examples, 512, seed),
                    r -> System.out.println(gson.toJson(line(r))));
        }

        static int[] defaultKs(int steps) {
            return Arrays.stream(new int[] {2, 4, ReplayPlan.sqrtK(steps), steps}).distinct().toArray();
        }

        private static Map<String, Object> line(MetagradBenchmark.Result r) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("steps", r.steps());
            m.put("k", r.k());
            m.put("levels", r.levels());
            m.put("train_seconds", round(r.trainSeconds()));
            m.put("metagrad_seconds", round(r.metagradSeconds()));
            m.put("ratio", round(r.ratio()));
            m.put("reverse_seconds", round(r.reverseSeconds()));
            m.put("reverse_ratio", round(r.reverseRatio()));
            m.put("peak_states", r.peakStates());
            m.put("state_bound", r.stateBound());
            m.put("peak_state_bytes", r.peakStateBytes());
            m.put("state_bytes", r.stateBytes());
            m.put("replay_steps", r.replaySteps());
            m.put("recorded_steps", r.recordedSteps());
            m.put("rss_mb", round(r.rssMb()));
            m.put("metagrad_norm", r.gradientNorm());
            return m;
        }

        private static double round(double v) {
            return Math.round(v * 1000) / 1000.0;
        }
    }

    @Command(name = "select", mixinStandardHelpOptions = true,
            description = {
                "Generates a seeded synthetic labelled pool in Spark (--rows × --dim floats), runs one MGD step of",
                "select on it (streamed from its layout) and prints one JSON line: rows, dim, pool_bytes, layout_seconds,",
                "mgd_step_seconds, rows_per_second, driver_heap_peak_mb, task_heap_peak_mb, process_rss_peak_mb,",
                "shard_bytes_read, … Cap the JVM with MGD_JAVA_OPTS=-Xmx2g to test the memory bound."})
    static final class Select implements Runnable {

        @Option(names = "--rows", defaultValue = "1000000", description = "Pool rows (default: ${DEFAULT-VALUE}).")
        long rows;

        @Option(names = "--dim", defaultValue = "128", description = "Feature width (default: ${DEFAULT-VALUE}).")
        int dim;

        @Option(names = "--epochs", defaultValue = "1", description = "Training epochs (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--hidden", defaultValue = "128", description = "MLP hidden width (default: ${DEFAULT-VALUE}).")
        int hidden;

        @Option(names = "--replicas", defaultValue = "2", description = "Metagradient replicas (default: ${DEFAULT-VALUE}).")
        int replicas;

        @Option(names = "--work-dir", required = true,
                description = "A new directory for the pool and the run (left in place: delete it when done).")
        String workDir;

        @Override
        public void run() {
            SparkSession spark = JobSession.start("mgd bench select", Map.of());
            Map<String, Object> line = SelectBenchmark.run(spark, new SelectBenchmark.Options(rows, dim, 10, 2048,
                    SelectBenchmark.Options.defaultTraining(epochs, hidden), replicas, workDir));
            System.out.println(new GsonBuilder().disableHtmlEscaping().create().toJson(line));
        }
    }
}
