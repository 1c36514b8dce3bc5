package io.metagrad.spark.attribute;

import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.mgd.Metagradients;
import io.metagrad.core.output.OutputFunction;
import io.metagrad.core.replay.ReplayPlan;
import io.metagrad.spark.stream.GradientParts;
import io.metagrad.spark.stream.LayoutBatches;
import java.io.Serializable;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;

/**
 * One task's share of an attribution: the exact influence of every pool item on a contiguous block
 * of targets, which share one forward training run and every replay, all streamed from the layout.
 * Each step's contributions leave the task as Parquet rows {@code (output = target index, row, g)}
 * as soon as the reverse pass produces them ({@link GradientParts}); what comes back is a few numbers.
 *
 * @param firstTarget index of the block's first target
 * @param values each target's loss after training at all weights 1
 * @param contributions rows written
 * @param bytesRead layout bytes the task read
 * @param seconds wall time of the task's computation
 */
record InfluenceChunk(int firstTarget, double[] values, long contributions, long bytesRead, double seconds)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Targets {@code [from, to)}, task {@code block}, writing its contributions under {@code gradientsDir}. */
    static InfluenceChunk compute(TaskInputs inputs, Configuration hadoop, int block, int from, int to, int replayK,
            String gradientsDir) {
        long start = System.nanoTime();
        TrainingData targets = inputs.targetData().subset(IntStream.range(from, to).toArray());
        TrainConfig config = inputs.config();
        int k = Math.max(2, replayK > 0 ? replayK : ReplayPlan.sqrtK(config.steps()));
        LayoutBatches batches = inputs.batches(hadoop, null);
        GradientParts.Writer writer = new GradientParts.Writer(gradientsDir, block, hadoop);
        try {
            Metagradients.Streamed r = Metagradients.computeStreamed(config, batches, OutputFunction.perExampleLosses(targets), k,
                    (q, step, rows, g) -> writer.accept(from + q, step, rows, g));
            writer.close();
            return new InfluenceChunk(from, r.values(), writer.rows(), batches.bytesRead(), (System.nanoTime() - start) / 1e9);
        } catch (RuntimeException e) {
            writer.abort();
            throw e;
        }
    }
}
