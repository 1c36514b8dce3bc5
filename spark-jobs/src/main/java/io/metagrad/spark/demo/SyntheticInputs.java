package io.metagrad.spark.demo;

import org.apache.spark.sql.SparkSession;

/**
 * Demo inputs generated in-process: {@link SyntheticSample} with ten overlapping Gaussian classes, 30%
 * of the pool's labels flipped and 5% of its items duplicated. Stands in for the shipped Fashion-MNIST sample
 * until its ingest and featurize jobs are merged.
 */
final class SyntheticInputs implements DemoInputs {

    static final SyntheticSample SAMPLE = new SyntheticSample(10, 32, 2000, 0.3, 0.05, 1000, 2000, 0.5, 2024);

    @Override
    public Tables prepare(SparkSession spark, String workDir) {
        SyntheticSample.Paths p = SAMPLE.write(spark, workDir + "/features");
        return new Tables(p.pool(), p.poolFeatures(), p.targetFeatures(), p.testFeatures(), String.format(
                "synthetic: %d classes, %d-d features; pool of %d (%.0f%% labels flipped, %.0f%% duplicates), target %d, test %d",
                SAMPLE.classes(), SAMPLE.dim(), SAMPLE.poolSize(), 100 * SAMPLE.flippedFraction(),
                100 * SAMPLE.duplicateFraction(), SAMPLE.targetSize(), SAMPLE.testSize()));
    }
}
