package io.metagrad.core.bench;

import ai.djl.ndarray.NDManager;
import io.metagrad.core.config.Schedule;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.mgd.MetagradientProblem;
import io.metagrad.core.mgd.MetagradientResult;
import io.metagrad.core.mgd.Metagradients;
import io.metagrad.core.mgd.RunStats;
import io.metagrad.core.output.OutputGradients;
import io.metagrad.core.replay.StateStore;
import io.metagrad.core.replay.VjpMethod;
import io.metagrad.core.tensor.Engines;
import io.metagrad.core.train.TrainState;
import io.metagrad.core.train.TrainingRun;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The metagradient benchmark on {@link BenchProblem}. For each {@code k} it times a plain training run
 * and the metagradient alternately, {@code reps} times each, so that a shared machine's noise hits
 * both alike; it reports the median and spread of each and of their ratio (taken pair by pair), and
 * the median split of the metagradient's time into its phases.
 */
public final class MetagradBenchmark {

    /** What to run. */
    public record Options(int steps, int[] ks, int examples, int targets, long seed, int reps, List<VjpMethod> methods,
            BenchProblem.Optimizer optimizer) {
        public Options {
            methods = List.copyOf(methods);
            if (methods.isEmpty()) {
                throw new IllegalArgumentException("bench --vjp needs at least one method");
            }
            if (steps <= 0 || examples < BenchProblem.BATCH || targets <= 0) {
                throw new IllegalArgumentException("bench needs steps > 0, examples >= 256 and targets > 0");
            }
            if (reps < 1) {
                throw new IllegalArgumentException("bench --reps " + reps + " invalid; must be >= 1");
            }
            for (int k : ks) {
                if (k < 2) {
                    throw new IllegalArgumentException("bench --k " + k + " invalid; must be >= 2");
                }
            }
        }
    }

    /**
     * One {@code k}'s figures: spreads over the repetitions, and the phases of the repetition whose
     * metagradient time is the median ({@code firstRunSeconds}, {@code replaySeconds},
     * {@code leafSeconds} and {@code vjpSeconds} split its {@code metagradSeconds}).
     */
    public record Result(
            int steps, int k, VjpMethod method, int levels, int reps, boolean explicitVjp,
            Spread train, Spread metagrad, Spread ratio, Spread reverseRatio,
            Spread trainCpu, Spread metagradCpu, Spread cpuRatio,
            double metagradSeconds, double firstRunSeconds, double replaySeconds, double leafSeconds, double vjpSeconds,
            long forwardSteps, long replaySteps, long leafReplaySteps,
            int peakStates, int stateBound, long peakStateBytes, long stateBytes,
            double rssMb, double peakRssMb, double[] metagradient) {

        public double gradientNorm() {
            return norm(metagradient);
        }
    }

    /**
     * Native operator calls per step ({@link NativeOps}), measured on a short store-everything run: a
     * training step, and a reverse step (its VJP, plus in recorded mode nothing else: the leaf's
     * replay launches the training step's own operators).
     */
    public record OpCounts(VjpMethod method, int steps, double perTrainingStep, double perVjp, long output) {}

    private MetagradBenchmark() {}

    /**
     * Runs one warm-up per method, then every {@code k} with each method in turn, handing each result to
     * {@code sink}: methods are compared in one process, at one {@code k} within a minute or so of each other.
     */
    public static void run(Options options, Consumer<Result> sink) {
        MetagradientProblem problem = BenchProblem.of(options.steps(), options.examples(), options.targets(), options.seed(),
                options.optimizer());
        for (VjpMethod method : options.methods()) {
            warmUp(problem, method);
        }
        for (int k : options.ks()) {
            for (VjpMethod method : options.methods()) {
                sink.accept(measure(problem, k, options.reps(), method));
            }
        }
    }

    /** Training and the metagradient at REPLAY {@code k}, alternately, {@code reps} times each. */
    public static Result measure(MetagradientProblem problem, int k, int reps, VjpMethod method) {
        double[] train = new double[reps];
        double[] metagrad = new double[reps];
        double[] trainCpu = new double[reps];
        double[] metagradCpu = new double[reps];
        RunStats[] stats = new RunStats[reps];
        MetagradientResult last = null;
        for (int r = 0; r < reps; r++) {
            long cpu = threadCpuNanos();
            train[r] = timeTraining(problem);
            trainCpu[r] = (threadCpuNanos() - cpu) / 1e9;
            cpu = threadCpuNanos();
            last = Metagradients.compute(problem, k, method);
            metagradCpu[r] = (threadCpuNanos() - cpu) / 1e9;
            stats[r] = last.stats();
            metagrad[r] = stats[r].seconds();
        }
        double[] ratio = new double[reps];
        double[] reverseRatio = new double[reps];
        double[] cpuRatio = new double[reps];
        for (int r = 0; r < reps; r++) {
            cpuRatio[r] = metagradCpu[r] / trainCpu[r];
            ratio[r] = metagrad[r] / train[r];
            reverseRatio[r] = (metagrad[r] - stats[r].forwardSeconds()) / train[r];
        }
        RunStats s = medianRun(stats);
        return new Result(s.steps(), k, method, s.levels(), reps, s.explicitVjp(),
                Spread.of(train), Spread.of(metagrad), Spread.of(ratio), Spread.of(reverseRatio),
                Spread.of(trainCpu), Spread.of(metagradCpu), Spread.of(cpuRatio),
                s.seconds(), s.forwardSeconds(), s.replaySeconds(), s.leafSeconds(), s.vjpSeconds(),
                s.forwardSteps(), s.replaySteps(), s.leafReplaySteps(),
                s.peakStates(), s.stateBound(), s.peakStateBytes(), stateBytes(stats[0]),
                residentMegabytes(), peakResidentMegabytes(), last.gradient());
    }

    /** Bytes of one training state (all states of a run are alike). */
    private static long stateBytes(RunStats stats) {
        return stats.peakStateBytes() / stats.peakStates();
    }

    /** The repetition whose total time is the median (the lower middle one for an even count). */
    private static RunStats medianRun(RunStats[] stats) {
        RunStats[] sorted = stats.clone();
        Arrays.sort(sorted, Comparator.comparingDouble(RunStats::seconds));
        return sorted[(sorted.length - 1) / 2];
    }

    /**
     * Native operator calls per training step and per reverse step, counted over a store-everything
     * metagradient of {@code steps} steps (minus a plain training run of as many steps and the output's
     * own gradient).
     */
    public static OpCounts countOps(int examples, int targets, long seed, VjpMethod method, BenchProblem.Optimizer optimizer,
            int steps) {
        MetagradientProblem problem = BenchProblem.of(steps, examples, targets, seed, optimizer);
        warmUp(problem, method);
        long training = NativeOps.count(() -> timeTraining(problem));
        long metagradient = NativeOps.count(() -> Metagradients.compute(problem, steps, method));
        long output = countOutputOps(problem);
        return new OpCounts(method, steps, training / (double) steps,
                (metagradient - training - output) / (double) steps, output);
    }

    private static long countOutputOps(MetagradientProblem problem) {
        try (NDManager root = Engines.newManager();
                TrainingRun run = new TrainingRun(problem.config(), problem.data(), problem.metaparameter(), root, new StateStore());
                TrainState end = run.train()) {
            var params = end.parameters(run.step().parameterCount());
            return NativeOps.count(() -> {
                try (NDManager into = run.manager().newSubManager()) {
                    OutputGradients.of(problem.output(), run.model(), params, problem.config().precision(), into);
                }
            });
        }
    }

    /** Short runs that load the engine and compile the hot paths before anything is timed. */
    public static void warmUp(MetagradientProblem problem, VjpMethod method) {
        TrainConfig shortRun = problem.config().toBuilder().steps(8).schedule(new Schedule.Constant(0.05)).build();
        MetagradientProblem warm = new MetagradientProblem(shortRun, problem.data(), problem.metaparameter(), problem.output());
        Metagradients.compute(warm, 3, method);
        Metagradients.compute(warm, 8, method);
        timeTraining(warm);
    }

    /** Seconds for a plain training run (no checkpoints, no graph), data already in memory. */
    static double timeTraining(MetagradientProblem problem) {
        try (NDManager root = Engines.newManager();
                TrainingRun run = new TrainingRun(problem.config(), problem.data(), problem.metaparameter(), root, new StateStore())) {
            long start = System.nanoTime();
            run.train().close();
            return (System.nanoTime() - start) / 1e9;
        }
    }

    /**
     * CPU time of the calling thread. With one intra-op thread libtorch computes on the caller, so this
     * is the work itself, whatever else the machine runs (the training run includes its setup in both).
     */
    private static long threadCpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    /** Resident set size of this process, from {@code /proc/self/status} (NaN where absent). */
    public static double residentMegabytes() {
        return statusMegabytes("VmRSS:");
    }

    /** The most resident memory this process has held so far ({@code VmHWM}; NaN where absent). */
    public static double peakResidentMegabytes() {
        return statusMegabytes("VmHWM:");
    }

    private static double statusMegabytes(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
