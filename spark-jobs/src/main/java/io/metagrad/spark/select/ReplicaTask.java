package io.metagrad.spark.select;

import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.mgd.Evaluation;
import io.metagrad.core.mgd.Metagradients;
import io.metagrad.core.replay.ReplayPlan;
import io.metagrad.core.tensor.Engines;
import io.metagrad.spark.stream.GradientParts;
import io.metagrad.spark.stream.ItemInts;
import io.metagrad.spark.stream.Layout;
import io.metagrad.spark.stream.LayoutBatches;
import io.metagrad.spark.train.RunSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;

/**
 * The work of one replica, run in a Spark task: train with training seed {@code base + replica} on
 * the items of a layout (the whole pool weighted by the counts, or the kept items alone), streamed
 * batch by batch; then either differentiate the target loss through the whole run with respect to
 * every trained item's weight, writing each step's contributions as a Parquet part as the reverse
 * pass produces them ({@link Mode#METAGRADIENT}), or score the trained model on the target and
 * held-out parts ({@link Mode#SCORE}). Holds the model, its REPLAY states, the small target parts,
 * the counts (4 bytes an item) and a few batches — never the pool.
 */
final class ReplicaTask implements FlatMapFunction<Iterator<Integer>, ReplicaTask.Result> {

    private static final long serialVersionUID = 1L;

    enum Mode { METAGRADIENT, SCORE }

    /**
     * What one replica computed.
     *
     * @param targetLoss mean loss on the target part after training
     * @param heldoutLoss mean loss on the held-out part (NaN for metagradient tasks)
     * @param heldoutAccuracy accuracy on the held-out part (NaN when not classifying or not scoring)
     * @param contributions metagradient rows written (0 when scoring)
     * @param bytesRead layout bytes the task read
     * @param seconds wall time of the task's computation
     * @param device where it ran, e.g. {@code cpu} or {@code gpu:1}
     */
    record Result(int replica, double targetLoss, double heldoutLoss, double heldoutAccuracy, long contributions,
            long bytesRead, double seconds, String device) implements Serializable {}

    /**
     * Where a stage's tasks read and write.
     *
     * @param layout the layout of the items trained on
     * @param layoutDir its directory
     * @param countsDir the counts of every pool item ({@link ItemInts}), the training weights
     * @param poolSize pool rows (the counts' length)
     * @param gradientsDir where metagradient tasks write their parts (null when scoring)
     */
    record Work(Layout layout, String layoutDir, String countsDir, long poolSize, String gradientsDir) implements Serializable {}

    private final Broadcast<SelectionData> data;
    private final Broadcast<SerializableConfiguration> hadoop;
    private final RunSpec spec;
    private final Work work;
    private final int replayK;
    private final Mode mode;
    private final DevicePlacement placement;

    ReplicaTask(Broadcast<SelectionData> data, Broadcast<SerializableConfiguration> hadoop, RunSpec spec, Work work,
            int replayK, Mode mode, DevicePlacement placement) {
        this.data = data;
        this.hadoop = hadoop;
        this.spec = spec;
        this.work = work;
        this.replayK = replayK;
        this.mode = mode;
        this.placement = placement;
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
        Configuration conf = hadoop.value().value();
        TrainConfig config = spec.config(replica, work.layout().rows());
        int[] counts = ItemInts.read(work.countsDir(), work.poolSize(), conf);
        LayoutBatches batches = new LayoutBatches(work.layout(), work.layoutDir(), config.seed(), conf, config.batchSize(),
                config.steps(), counts, d.labels() ? d.outputDim() : 0);
        if (mode == Mode.METAGRADIENT) {
            int k = replayK > 0 ? replayK : ReplayPlan.sqrtK(config.steps());
            GradientParts.Writer writer = new GradientParts.Writer(work.gradientsDir(), replica, conf);
            try {
                Metagradients.Streamed r = Metagradients.computeStreamed(config, batches, d.targetLoss(), Math.max(2, k), writer);
                writer.close();
                return new Result(replica, r.values()[0], Double.NaN, Double.NaN, writer.rows(), batches.bytesRead(), seconds(start),
                        device);
            } catch (RuntimeException e) {
                writer.abort();
                throw e;
            }
        }
        List<double[]> params = Metagradients.train(config, batches);
        long read = batches.bytesRead();
        double targetLoss = Evaluation.output(config, params, d.targetLoss())[0];
        double heldoutLoss = Evaluation.output(config, params, d.heldoutLoss())[0];
        double accuracy = d.classifies() ? d.heldoutAccuracy(config, params) : Double.NaN;
        return new Result(replica, targetLoss, heldoutLoss, accuracy, 0, read, seconds(start), device);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
