package io.metagrad.cli;

import io.metagrad.core.bench.BenchProblem;
import io.metagrad.core.bench.MetagradBenchmark;
import io.metagrad.core.bench.PeerExport;
import io.metagrad.core.mgd.MetagradientProblem;
import io.metagrad.core.replay.ReplayPlan;
import io.metagrad.core.replay.VjpMethod;
import io.metagrad.core.tensor.Engines;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Our metagradient side by side with a PyTorch unrolled store-all metagradient of the identical
 * problem (bench/torch_unrolled.py on Debian's python3-torch), same intra-op threads.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {
            "Runs the bench metagrad problem twice: with our metagradient at each --k, and with a PyTorch",
            "unrolled store-all metagradient (create_graph=True through every step; bench/torch-peer, which",
            "installs Debian's python3-torch if missing) on the same initial parameters, data and batches,",
            "exported to files. Prints one JSON line per side (train and metagradient seconds, wall clock",
            "and CPU time, ratio, peak RSS) and a summary: relative difference of the two metagradients",
            "(must be <= 1e-4), BLAS of each, and the issue's targets. Exit 1 if the metagradients disagree."})
final class CompareCommand implements Runnable {

    /** float32 runs with different BLAS builds round differently; beyond this they compute different things. */
    static final double AGREEMENT = 1e-4;

    @Option(names = "--steps", defaultValue = "400", description = "Training steps T (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--k", split = ",", description = "Our REPLAY branching factors (default: 4, ⌈√T⌉, T).")
    int[] ks;

    @Option(names = "--reps", defaultValue = "5", description = "Our repetitions, alternating (default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--peer-reps", defaultValue = "3", description = "The peer's repetitions (default: ${DEFAULT-VALUE}).")
    int peerReps;

    @Option(names = "--examples", defaultValue = "4096", description = "Pool size (default: ${DEFAULT-VALUE}).")
    int examples;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the problem (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--peer", description = "The peer launcher (default: $MGD_HOME/bench/torch-peer).")
    Path peer;

    @Option(names = "--peer-timeout-minutes", defaultValue = "120", description = "Give up on the peer after this long.")
    long peerTimeoutMinutes;

    @Override
    public void run() {
        int[] chosen = ks != null ? ks.clone()
                : Arrays.stream(new int[] {4, ReplayPlan.sqrtK(steps), steps}).distinct().toArray();
        Arrays.sort(chosen); // by memory, so the process's peak RSS after each k is that k's
        Path launcher = peer != null ? peer : Path.of(System.getenv().getOrDefault("MGD_HOME", "."), "bench", "torch-peer");
        if (!Files.isExecutable(launcher)) {
            throw new IllegalArgumentException("the peer launcher " + launcher + " is missing or not executable (--peer)");
        }
        MetagradientProblem problem = BenchProblem.of(steps, examples, 512, seed);
        int threads = Engines.intraOpThreads();
        Path dir = null;
        try {
            dir = Files.createTempDirectory("mgd-compare-");
            PeerExport.write(problem, dir);
            MetagradBenchmark.warmUp(problem, VjpMethod.EXPLICIT);
            Map<Integer, MetagradBenchmark.Result> ours = new LinkedHashMap<>();
            for (int k : chosen) {
                MetagradBenchmark.Result r = MetagradBenchmark.measure(problem, k, reps, VjpMethod.EXPLICIT);
                ours.put(k, r);
                BenchCommand.print(ourLine(r, threads));
            }
            JsonObject theirs = runPeer(launcher, dir, threads);
            double[] peerGradient = PeerExport.readFloats(dir.resolve("torch_metagradient.f32"));
            BenchCommand.print(peerLine(theirs));
            double difference = relativeDifference(ours.get(chosen[chosen.length - 1]).metagradient(), peerGradient);
            BenchCommand.print(summary(ours, theirs, difference, threads));
            if (!(difference <= AGREEMENT)) {
                throw new IllegalStateException("our metagradient and the PyTorch peer's differ by " + difference
                        + " (relative, > " + AGREEMENT + "): they do not compute the same thing");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private JsonObject runPeer(Path launcher, Path dir, int threads) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "--dir", dir.toString(),
                "--threads", Integer.toString(threads), "--reps", Integer.toString(peerReps))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(dir.resolve("peer.out").toFile());
        Process process = builder.start();
        try {
            if (!process.waitFor(peerTimeoutMinutes, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the PyTorch peer ran longer than " + peerTimeoutMinutes + " minutes");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("the PyTorch peer failed (exit " + process.exitValue() + ")");
            }
            String out = Files.readString(dir.resolve("peer.out"), StandardCharsets.UTF_8);
            List<String> lines = out.lines().filter(l -> l.startsWith("{")).toList();
            if (lines.isEmpty()) {
                throw new IllegalStateException("the PyTorch peer printed no result");
            }
            return JsonParser.parseString(lines.get(lines.size() - 1)).getAsJsonObject();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the PyTorch peer", e);
        } finally {
            process.destroyForcibly();
        }
    }

    private static Map<String, Object> ourLine(MetagradBenchmark.Result r, int threads) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("side", "metagrad");
        m.put("steps", r.steps());
        m.put("k", r.k());
        m.put("threads", threads);
        m.put("reps", r.reps());
        m.put("train_seconds", BenchCommand.spread(r.train()));
        m.put("metagrad_seconds", BenchCommand.spread(r.metagrad()));
        m.put("ratio", BenchCommand.spread(r.ratio()));
        m.put("train_cpu_seconds", BenchCommand.spread(r.trainCpu()));
        m.put("metagrad_cpu_seconds", BenchCommand.spread(r.metagradCpu()));
        m.put("cpu_ratio", BenchCommand.spread(r.cpuRatio()));
        m.put("peak_state_bytes", r.peakStateBytes());
        m.put("peak_rss_mb", BenchCommand.round(r.peakRssMb()));
        return m;
    }

    private static Map<String, Object> peerLine(JsonObject peer) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("side", "pytorch");
        for (String key : peer.keySet()) {
            m.put(key, peer.get(key));
        }
        return m;
    }

    private Map<String, Object> summary(Map<Integer, MetagradBenchmark.Result> ours, JsonObject peer, double difference,
            int threads) {
        double peerRatio = peer.getAsJsonObject("ratio").get("median").getAsDouble();
        double peerSeconds = peer.getAsJsonObject("metagrad_seconds").get("median").getAsDouble();
        double peerCpuRatio = peer.getAsJsonObject("cpu_ratio").get("median").getAsDouble();
        double peerCpuSeconds = peer.getAsJsonObject("metagrad_cpu_seconds").get("median").getAsDouble();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("summary", "metagrad vs pytorch unrolled store-all, T = " + steps);
        m.put("relative_difference", difference);
        m.put("agree", difference <= AGREEMENT);
        m.put("threads", threads);
        m.put("our_blas", "Intel MKL inside libtorch " + Engines.describe() + " (DJL's native CPU build; features "
                + ai.djl.pytorch.jni.JniUtils.getFeatures() + ")");
        m.put("peer_blas", peer.get("blas").getAsString());
        Map<String, Object> targets = new LinkedHashMap<>();
        MetagradBenchmark.Result sqrt = ours.get(ReplayPlan.sqrtK(steps));
        if (sqrt != null) {
            targets.put("ratio_at_sqrt_k_le_2.5", target(sqrt.ratio().median(), 2.5));
            targets.put("cpu_ratio_at_sqrt_k_le_2.5", target(sqrt.cpuRatio().median(), 2.5));
        }
        MetagradBenchmark.Result four = ours.get(4);
        if (four != null) {
            targets.put("ratio_at_k4_le_3.5", target(four.ratio().median(), 3.5));
            targets.put("cpu_ratio_at_k4_le_3.5", target(four.cpuRatio().median(), 3.5));
        }
        MetagradBenchmark.Result all = ours.get(steps);
        if (all != null) {
            targets.put("ratio_at_k_T_le_peer", target(all.ratio().median(), peerRatio));
            targets.put("seconds_at_k_T_le_peer", target(all.metagrad().median(), peerSeconds));
            targets.put("cpu_ratio_at_k_T_le_peer", target(all.cpuRatio().median(), peerCpuRatio));
            targets.put("cpu_seconds_at_k_T_le_peer", target(all.metagradCpu().median(), peerCpuSeconds));
        }
        m.put("targets", targets);
        return m;
    }

    private static Map<String, Object> target(double ours, double bound) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ours", BenchCommand.round(ours));
        m.put("bound", BenchCommand.round(bound));
        m.put("met", ours <= bound);
        return m;
    }

    static double relativeDifference(double[] ours, double[] peer) {
        if (ours.length != peer.length) {
            throw new IllegalStateException("the peer's metagradient has " + peer.length + " entries, ours " + ours.length);
        }
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < ours.length; i++) {
            diff += (ours[i] - peer[i]) * (ours[i] - peer[i]);
            norm += peer[i] * peer[i];
        }
        return Math.sqrt(diff / norm);
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            dir.toFile().deleteOnExit();
        }
    }
}
