package io.metagrad.spark.attribute;

import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.spark.stream.Layout;
import io.metagrad.spark.stream.LayoutBatches;
import io.metagrad.spark.train.FeatureRows;
import io.metagrad.spark.train.RunSpec;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;

/**
 * What every task of an {@code attribute} or {@code validate} run needs, broadcast once: how to
 * train, the targets (small by nature) and where the training pool is laid out — never the pool,
 * which tasks stream batch by batch from the layout.
 *
 * @param spec how the model is trained
 * @param targets the target examples, in uid order (target {@code q} is row {@code q})
 * @param labels whether pool rows train with their labels (one-hot) rather than their target vectors
 * @param layout the pool laid out in the training order
 * @param layoutDir its directory
 */
record TaskInputs(RunSpec spec, FeatureRows targets, boolean labels, Layout layout, String layoutDir) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The config of a training run over the whole pool. */
    TrainConfig config() {
        return spec.baseConfig(layout.rows());
    }

    /** The targets as training data of this run's objective. */
    TrainingData targetData() {
        return spec.data(targets);
    }

    /** Pool rows {@code N}. */
    long poolSize() {
        return layout.rows();
    }

    /** The run's batches streamed from the layout, each item weighted by its count by row (null: 1 everywhere). */
    LayoutBatches batches(Configuration hadoop, int[] counts) {
        TrainConfig config = config();
        return new LayoutBatches(layout, layoutDir, config.seed(), hadoop, config.batchSize(), config.steps(), counts,
                labels ? spec.outputDim() : 0);
    }
}
