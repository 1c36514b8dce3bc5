package io.metagrad.core.bench;

import io.metagrad.core.config.OptimizerSpec;
import io.metagrad.core.config.Schedule;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.meta.Metaparameter;
import io.metagrad.core.mgd.MetagradientProblem;
import io.metagrad.core.model.ModelSpec;
import io.metagrad.core.output.OutputFunction;
import java.util.Random;

/**
 * The benchmark's fixed seeded problem: an MLP 512→256→10 (tanh), batch 256, SGD with momentum 0.9
 * (or Adam), warmup then cosine decay from 0.05 (Adam: 0.002); a pool labelled by a noisy linear teacher; the metagradient
 * of the mean loss on a target set with respect to every pool example's weight.
 */
public final class BenchProblem {

    public static final int INPUT = 512;
    public static final int HIDDEN = 256;
    public static final int CLASSES = 10;
    public static final int BATCH = 256;
    public static final double MOMENTUM = 0.9;

    /** The optimizer the benchmark trains with. */
    public enum Optimizer {
        /** SGD with momentum 0.9 (the default; what {@code bench compare}'s peer implements). */
        MOMENTUM,
        /** Adam with the usual constants and {@code epsRoot = 1e-8}. */
        ADAM
    }

    private BenchProblem() {}

    /** The problem for {@code steps} training steps with SGD with momentum. */
    public static MetagradientProblem of(int steps, int examples, int targets, long seed) {
        return of(steps, examples, targets, seed, Optimizer.MOMENTUM);
    }

    /** The problem for {@code steps} training steps over {@code examples} pool and {@code targets} target examples. */
    public static MetagradientProblem of(int steps, int examples, int targets, long seed, Optimizer optimizer) {
        Random random = new Random(seed);
        double[][] teacher = gaussian(random, INPUT, CLASSES, 1 / Math.sqrt(INPUT));
        TrainingData pool = sample(random, teacher, examples);
        TrainingData target = sample(random, teacher, targets);
        TrainConfig config = TrainConfig.builder()
                .model(ModelSpec.Mlp.of(INPUT, HIDDEN, CLASSES))
                .optimizer(optimizer == Optimizer.ADAM ? OptimizerSpec.Adam.defaults() : OptimizerSpec.Sgd.momentum(MOMENTUM))
                .schedule(new Schedule.WarmupDecay(optimizer == Optimizer.ADAM ? 0.002 : 0.05, Math.max(1, steps / 10),
                        Schedule.Decay.COSINE, 0.1))
                .batchSize(BATCH)
                .steps(steps)
                .seed(seed)
                .build();
        return new MetagradientProblem(config, pool, Metaparameter.DataWeights.ones(pool.size()), OutputFunction.meanLoss(target));
    }

    /** The target set of a problem built by {@link #of}. */
    public static TrainingData targets(MetagradientProblem problem) {
        return ((OutputFunction.MeanLoss) problem.output()).targets();
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
}
