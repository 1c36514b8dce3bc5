package io.metagrad.spark.attribute;

import io.metagrad.core.attribution.RemovalSets;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.mgd.Evaluation;
import io.metagrad.core.mgd.Metagradients;
import io.metagrad.core.output.OutputFunction;
import java.io.Serializable;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * One LDS retraining, run in a Spark task: the model trained with the items of one removal set at
 * weight 0 (the data order unchanged), streamed from the layout, and its loss on every target. The
 * task decides membership item by item ({@link RemovalSets#removes}); it holds the counts (4 bytes an
 * item), the model and a few batches.
 *
 * @param subset the removal set
 * @param losses each target's loss after training without the set
 * @param seconds wall time of the task's computation
 */
record Retraining(int subset, double[] losses, double seconds) implements Serializable {

    private static final long serialVersionUID = 1L;

    static Retraining run(TaskInputs inputs, Configuration hadoop, RemovalSets sets, int subset) {
        long start = System.nanoTime();
        int n = Math.toIntExact(inputs.poolSize());
        int[] counts = new int[n];
        for (int i = 0; i < n; i++) {
            counts[i] = sets.removes(subset, i) ? 0 : 1;
        }
        TrainConfig config = inputs.config();
        List<double[]> params = Metagradients.train(config, inputs.batches(hadoop, counts));
        double[] losses = Evaluation.output(config, params, OutputFunction.perExampleLosses(inputs.targetData()));
        return new Retraining(subset, losses, (System.nanoTime() - start) / 1e9);
    }
}
