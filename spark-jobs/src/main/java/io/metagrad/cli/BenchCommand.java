package io.metagrad.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.metagrad.core.bench.BenchProblem;
import io.metagrad.core.bench.MetagradBenchmark;
import io.metagrad.core.bench.Spread;
import io.metagrad.core.replay.ReplayPlan;
import io.metagrad.core.replay.VjpMethod;
import io.metagrad.spark.bench.BarrierBenchmark;
import io.metagrad.spark.bench.SelectBenchmark;
import io.metagrad.spark.select.JobSession;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Benchmarks that print figures as JSON lines. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks; each prints one JSON object per line.",
        subcommands = {BenchCommand.Metagrad.class, CompareCommand.class, BenchCommand.Select.class, BenchDataCompCommand.class,
            BenchCommand.Barrier.class})
final class BenchCommand implements Runnable {

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues().create();

    @Override
    public void run() {
        throw new IllegalArgumentException("Specify a benchmark: mgd bench metagrad | compare | select | datacomp | barrier");
    }

    static void print(Map<String, Object> line) {
        System.out.println(GSON.toJson(line));
        System.out.flush();
    }

    @Command(name = "metagrad", mixinStandardHelpOptions = true,
            description = {
                "Trains an MLP 512→256→10 (batch 256, SGD with momentum) on a fixed seeded problem, then",
                "computes the metagradient of the mean target loss with respect to every example's weight.",
                "For each k, times training and the metagradient alternately --reps times each and prints one",
                "JSON line: the median and spread (quartiles, min, max) of train_seconds, metagrad_seconds and",
                "ratio (metagrad ÷ train, pair by pair), the same in the thread's CPU time, the median split of the metagradient into first run,",
                "no-graph replays, leaf replays and VJPs, peak states and bytes, RSS. Intra-op threads:",
                "MGD_THREADS (default 1)."})
    static final class Metagrad implements Runnable {

        @Option(names = "--steps", defaultValue = "400", description = "Training steps T (default: ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--k", split = ",", description = "REPLAY branching factors (default: 2, 4, ⌈√T⌉, T).")
        int[] ks;

        @Option(names = "--reps", defaultValue = "5",
                description = "Repetitions of training and metagradient, alternating (default: ${DEFAULT-VALUE}).")
        int reps;

        @Option(names = "--vjp", defaultValue = "EXPLICIT", split = ",",
                description = {"How each step's VJP is taken: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
                    "Several, comma-separated, are measured in turn at each k in one process."})
        List<VjpMethod> vjp;

        @Option(names = "--optimizer", defaultValue = "MOMENTUM",
                description = "Optimizer of the problem: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        BenchProblem.Optimizer optimizer;

        @Option(names = "--count-ops", description = "Also count native operator calls per step (libtorch profiler; one extra line).")
        boolean countOps;

        @Option(names = "--examples", defaultValue = "4096", description = "Pool size (default: ${DEFAULT-VALUE}).")
        int examples;

        @Option(names = "--seed", defaultValue = "0", description = "Seed of the problem (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public void run() {
            int[] chosen = ks != null ? ks : defaultKs(steps);
            MetagradBenchmark.Options options = new MetagradBenchmark.Options(steps, chosen, examples, 512, seed, reps, vjp,
                    optimizer);
            MetagradBenchmark.run(options, r -> print(line(r)));
            if (countOps) {
                for (VjpMethod method : vjp) {
                    print(opLine(MetagradBenchmark.countOps(examples, 512, seed, method, optimizer, 16)));
                }
            }
        }

        static int[] defaultKs(int steps) {
            return Arrays.stream(new int[] {2, 4, ReplayPlan.sqrtK(steps), steps}).distinct().toArray();
        }

        private Map<String, Object> line(MetagradBenchmark.Result r) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("steps", r.steps());
            m.put("k", r.k());
            m.put("levels", r.levels());
            m.put("reps", r.reps());
            m.put("vjp", r.method().name().toLowerCase());
            m.put("explicit_vjp", r.explicitVjp());
            m.put("optimizer", optimizer.name().toLowerCase());
            m.put("threads", Integer.getInteger("ai.djl.pytorch.num_threads", 1));
            m.put("train_seconds", spread(r.train()));
            m.put("metagrad_seconds", spread(r.metagrad()));
            m.put("ratio", spread(r.ratio()));
            m.put("reverse_ratio", spread(r.reverseRatio()));
            m.put("train_cpu_seconds", spread(r.trainCpu()));
            m.put("metagrad_cpu_seconds", spread(r.metagradCpu()));
            m.put("cpu_ratio", spread(r.cpuRatio()));
            Map<String, Object> phases = new LinkedHashMap<>();
            phases.put("total", round(r.metagradSeconds()));
            phases.put("first_run", round(r.firstRunSeconds()));
            phases.put("replay", round(r.replaySeconds()));
            phases.put("leaf_replay", round(r.leafSeconds()));
            phases.put("vjp", round(r.vjpSeconds()));
            phases.put("other", round(r.metagradSeconds() - r.firstRunSeconds() - r.replaySeconds() - r.leafSeconds()
                    - r.vjpSeconds()));
            m.put("median_run_phase_seconds", phases);
            m.put("first_run_steps", r.forwardSteps());
            m.put("replay_steps", r.replaySteps());
            m.put("leaf_replay_steps", r.leafReplaySteps());
            m.put("vjp_ms_per_step", round(1000 * r.vjpSeconds() / r.steps()));
            m.put("train_ms_per_step", round(1000 * r.train().median() / r.steps()));
            m.put("peak_states", r.peakStates());
            m.put("state_bound", r.stateBound());
            m.put("peak_state_bytes", r.peakStateBytes());
            m.put("state_bytes", r.stateBytes());
            m.put("rss_mb", round(r.rssMb()));
            m.put("peak_rss_mb", round(r.peakRssMb()));
            m.put("metagrad_norm", r.gradientNorm());
            return m;
        }

        private static Map<String, Object> opLine(MetagradBenchmark.OpCounts c) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("native_ops", "top-level libtorch operator calls (profiler), store-all run of " + c.steps() + " steps");
            m.put("vjp", c.method().name().toLowerCase());
            m.put("per_training_step", round(c.perTrainingStep()));
            m.put("per_vjp", round(c.perVjp()));
            m.put("output_gradient", c.output());
            return m;
        }
    }

    static Map<String, Object> spread(Spread s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("median", round(s.median()));
        m.put("q1", round(s.q1()));
        m.put("q3", round(s.q3()));
        m.put("min", round(s.min()));
        m.put("max", round(s.max()));
        return m;
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
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

    @Command(name = "barrier", mixinStandardHelpOptions = true,
            description = {
                "What one gradient synchronisation of Spark barrier-mode data parallelism costs: --tasks tasks of one",
                "barrier stage each allGather a --floats float32 gradient --rounds times and sum the results, as a",
                "data-parallel MGD step would after every training step. Prints one JSON line: the wall time per round",
                "(median, quartiles, min, max; the slowest task's). Set it beside a replica's per-step compute from",
                "bench select to see whether splitting a step over more executors than replicas pays."})
    static final class Barrier implements Runnable {

        @Option(names = "--tasks", defaultValue = "2", description = "Barrier tasks (≤ task slots; default: ${DEFAULT-VALUE}).")
        int tasks;

        @Option(names = "--floats", defaultValue = "17802",
                description = "Gradient size in floats (default: ${DEFAULT-VALUE}, bench select's MLP 128→128→10).")
        int floats;

        @Option(names = "--rounds", defaultValue = "200", description = "Timed rounds (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--warmup", defaultValue = "20", description = "Untimed rounds first (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Override
        public void run() {
            if (tasks < 2 || floats < 1 || rounds < 4 || warmup < 0) {
                throw new IllegalArgumentException("bench barrier: --tasks ≥ 2, --floats ≥ 1, --rounds ≥ 4, --warmup ≥ 0");
            }
            SparkSession spark = JobSession.start("mgd bench barrier", Map.of());
            print(BarrierBenchmark.run(spark, new BarrierBenchmark.Options(tasks, floats, rounds, warmup)));
        }
    }
}
