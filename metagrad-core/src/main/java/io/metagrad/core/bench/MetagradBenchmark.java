package io.metagrad.core.bench;

import ai.djl.ndarray.NDManager;
import io.metagrad.core.config.OptimizerSpec;
import io.metagrad.core.config.Schedule;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.meta.Metaparameter;
import io.metagrad.core.mgd.MetagradientProblem;
import io.metagrad.core.mgd.MetagradientResult;
import io.metagrad.core.mgd.Metagradients;
import io.metagrad.core.model.ModelSpec;
import io.metagrad.core.output.OutputFunction;
import io.metagrad.core.replay.StateStore;
import io.metagrad.core.tensor.Engines;
import io.metagrad.core.train.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The metagradient benchmark: an MLP 512→256→10, batch 256, SGD with momentum, on a fixed seeded
 * problem; the metagradient of the mean target loss with respect to every example's weight. For
 * each {@code k} it times a plain training run and the metagradient side by side in this process.
 */
public final class MetagradBenchmark {

    /** What to run. */
    public record Options(int steps, int[] ks, int examples, int targets, long seed) {
        public Options {
            if (steps <= 0 || examples < 256 || targets <= 0) {
                throw new IllegalArgumentException("bench needs steps > 0, examples >= 256 and targets > 0");
            }
            for (int k : ks) {
                if (k < 2) {
                    throw new IllegalArgumentException("bench --k " + k + " invalid; must be >= 2");
                }
            }
        }
    }

    /** One line of results. */
    public record Result(
            int steps,
            int k,
            int levels,
            double trainSeconds,
            double metagradSeconds,
            double ratio,
            double reverseSeconds,
            double reverseRatio,
            int peakStates,
            int stateBound,
            long peakStateBytes,
            long stateBytes,
            long replaySteps,
            long recordedSteps,
            double rssMb,
            double gradientNorm) {}

    private static final int INPUT = 512;
    private static final int HIDDEN = 256;
    private static final int CLASSES = 10;
    private static final int BATCH = 256;

    private MetagradBenchmark() {}

    /** Runs one warm-up, then every {@code k}, handing each result to {@code sink}. */
    public static void run(Options options, Consumer<Result> sink) {
        Random random = new Random(options.seed());
        double[][] teacher = gaussian(random, INPUT, CLASSES, 1 / Math.sqrt(INPUT));
        TrainingData pool = sample(random, teacher, options.examples());
        TrainingData targets = sample(random, teacher, options.targets());
        TrainConfig config = TrainConfig.builder()
                .model(ModelSpec.Mlp.of(INPUT, HIDDEN, CLASSES))
                .optimizer(OptimizerSpec.Sgd.momentum(0.9))
                .schedule(new Schedule.WarmupDecay(0.05, Math.max(1, options.steps() / 10), Schedule.Decay.COSINE, 0.1))
                .batchSize(BATCH)
                .steps(options.steps())
                .seed(options.seed())
                .build();
        MetagradientProblem problem = new MetagradientProblem(
                config, pool, Metaparameter.DataWeights.ones(pool.size()), OutputFunction.meanLoss(targets));

        warmUp(problem);
        for (int k : options.ks()) {
            double trainSeconds = timeTraining(problem);
            MetagradientResult result = Metagradients.compute(problem, k);
            var s = result.stats();
            long stateBytes = (long) 2 * (INPUT * HIDDEN + HIDDEN + HIDDEN * CLASSES + CLASSES) * 4;
            sink.accept(new Result(
                    s.steps(), k, s.levels(), trainSeconds, s.seconds(), s.seconds() / trainSeconds,
                    s.seconds() - s.forwardSeconds(), (s.seconds() - s.forwardSeconds()) / trainSeconds,
                    s.peakStates(), s.stateBound(), s.peakStateBytes(), stateBytes,
                    s.replaySteps(), s.recordedSteps(), residentMegabytes(), norm(result.gradient())));
        }
    }

    private static void warmUp(MetagradientProblem problem) {
        TrainConfig shortRun = problem.config().toBuilder().steps(8).schedule(new Schedule.Constant(0.05)).build();
        Metagradients.compute(new MetagradientProblem(shortRun, problem.data(), problem.metaparameter(), problem.output()), 3);
        timeTraining(new MetagradientProblem(shortRun, problem.data(), problem.metaparameter(), problem.output()));
    }

    /** Seconds for a plain training run (no checkpoints, no graph), data already in memory. */
    private static double timeTraining(MetagradientProblem problem) {
        try (NDManager root = Engines.newManager();
                TrainingRun run = new TrainingRun(problem.config(), problem.data(), problem.metaparameter(), root, new StateStore())) {
            long start = System.nanoTime();
            run.train().close();
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private static TrainingData sample(Random random, double[][] teacher, int n) {
        double[][] x = gaussian(random, n, INPUT, 1);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < CLASSES; c++) {
                double score = random.nextGaussian() * 0.5;
                for (int j = 0; j < INPUT; j++) {
                    score += x[i][j] * teacher[j][c];
                }
                if (score > best) {
                    best = score;
                    labels[i] = c;
                }
            }
        }
        return TrainingData.ofLabels(x, labels, CLASSES);
    }

    private static double[][] gaussian(Random random, int rows, int cols, double std) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = random.nextGaussian() * std;
            }
        }
        return m;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    /** Resident set size of this process, from {@code /proc/self/status} (NaN where absent). */
    public static double residentMegabytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
