package io.metagrad.spark.select;

import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.meta.Metaparameter;
import io.metagrad.core.mgd.Evaluation;
import io.metagrad.core.mgd.MetagradientProblem;
import io.metagrad.core.mgd.MetagradientResult;
import io.metagrad.core.mgd.Metagradients;
import io.metagrad.core.replay.ReplayPlan;
import io.metagrad.core.tensor.Engines;
import io.metagrad.spark.train.TrainingOptions;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

/**
 * The work of one replica, run in a Spark task: train with training seed {@code base + replica} on
 * the pool with weights = the current counts, or (kept-only) on the items with count &gt; 0 alone,
 * as the downstream model will be; then either differentiate the target loss through the whole run
 * with respect to each trained example's weight ({@link Mode#METAGRADIENT}; NaN for items not
 * trained on) or score the trained model on the target and held-out parts ({@link Mode#SCORE}).
 */
final class ReplicaTask implements FlatMapFunction<Iterator<Integer>, ReplicaTask.Result> {

    private static final long serialVersionUID = 1L;

    enum Mode { METAGRADIENT, SCORE }

    /**
     * What one replica computed.
     *
     * @param metagradient d(target loss)/d(weight) per pool row, in pool (uid) order; null when scoring
     * @param targetLoss mean loss on the target part after training
     * @param heldoutLoss mean loss on the held-out part (NaN for metagradient tasks)
     * @param heldoutAccuracy accuracy on the held-out part (NaN when not classifying or not scoring)
     * @param seconds wall time of the task's computation
     * @param device where it ran, e.g. {@code cpu} or {@code gpu:1}
     */
    record Result(int replica, double[] metagradient, double targetLoss, double heldoutLoss, double heldoutAccuracy,
            double seconds, String device) implements Serializable {}

    private final Broadcast<SelectionData> data;
    private final TrainingOptions training;
    private final double[] weights;
    private final int replayK;
    private final Mode mode;
    private final DevicePlacement placement;
    private final boolean keptOnly;

    ReplicaTask(Broadcast<SelectionData> data, TrainingOptions training, int[] counts, int replayK, Mode mode,
            DevicePlacement placement, boolean keptOnly) {
        this.data = data;
        this.training = training;
        this.weights = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            weights[i] = counts[i];
        }
        this.replayK = replayK;
        this.mode = mode;
        this.placement = placement;
        this.keptOnly = keptOnly;
    }

    @Override
    public Iterator<Result> call(Iterator<Integer> replicas) {
        List<Result> out = new ArrayList<>();
        String device = placement.deviceOf(TaskContext.get());
        Engines.DeviceScope on = Engines.onDevice(device);
        try {
            while (replicas.hasNext()) {
                out.add(run(replicas.next(), device));
            }
        } finally {
            on.close();
        }
        return out.iterator();
    }

    private Result run(int replica, String device) {
        long start = System.nanoTime();
        SelectionData d = data.value();
        int[] rows = keptOnly ? IntStream.range(0, weights.length).filter(i -> weights[i] > 0).toArray()
                : IntStream.range(0, weights.length).toArray();
        if (rows.length == 0) {
            throw new IllegalStateException("no pool item has a count > 0; nothing to train on");
        }
        TrainConfig pooled = training.config(d.pool().width(), d.outputDim(), replica);
        // Kept-only runs see fewer rows than a batch once the budget is small; the downstream model does the same.
        TrainConfig config = pooled.toBuilder().batchSize(Math.min(pooled.batchSize(), rows.length)).build();
        TrainingData trainOn = keptOnly ? d.poolData().subset(rows) : d.poolData();
        double[] rowWeights = Arrays.stream(rows).mapToDouble(i -> weights[i]).toArray();
        MetagradientProblem problem = new MetagradientProblem(
                config, trainOn, new Metaparameter.DataWeights(rowWeights), d.targetLoss());
        if (mode == Mode.METAGRADIENT) {
            int k = replayK > 0 ? replayK : ReplayPlan.sqrtK(config.steps());
            MetagradientResult r = Metagradients.compute(problem, Math.max(2, k));
            double[] perItem = new double[weights.length];
            Arrays.fill(perItem, Double.NaN);
            double[] g = r.gradient();
            for (int j = 0; j < rows.length; j++) {
                perItem[rows[j]] = g[j];
            }
            return new Result(replica, perItem, r.value(), Double.NaN, Double.NaN, seconds(start), device);
        }
        List<double[]> params = Metagradients.train(problem);
        double targetLoss = Evaluation.output(config, params, d.targetLoss())[0];
        double heldoutLoss = Evaluation.output(config, params, d.heldoutLoss())[0];
        double accuracy = d.classifies() ? d.heldoutAccuracy(config, params) : Double.NaN;
        return new Result(replica, null, targetLoss, heldoutLoss, accuracy, seconds(start), device);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
