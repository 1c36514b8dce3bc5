package io.metagrad.spark.demo;

import io.metagrad.spark.featurize.FeaturizeJob;
import io.metagrad.spark.featurize.FeaturizeParams;
import io.metagrad.spark.featurize.FeaturizerKind;
import io.metagrad.spark.ingest.IngestJob;
import io.metagrad.spark.ingest.IngestParams;
import io.metagrad.spark.ingest.InputFormat;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * Demo inputs from the shipped sample ({@code data/sample}, see its README): each split goes
 * through {@code ingest} (validated pool tables) and {@code featurize} (standardized pixels with a
 * seeded 64-d random projection fitted on the pool and reused for the target and test splits).
 */
final class SampleInputs implements DemoInputs {

    static final int PROJECTION_DIM = 64;
    static final long PROJECTION_SEED = 1;

    private final String sample;

    SampleInputs(String sample) {
        this.sample = sample;
    }

    @Override
    public Tables prepare(SparkSession spark, String workDir) {
        String pool = ingest(spark, "pool", workDir);
        String target = ingest(spark, "target", workDir);
        String test = ingest(spark, "test", workDir);
        String poolFeatures = workDir + "/features/pool";
        FeaturizeJob.run(spark, pixels(pool, poolFeatures));
        String targetFeatures = workDir + "/features/target";
        FeaturizeJob.run(spark, pixels(target, targetFeatures).withFittedFrom(poolFeatures).withTargetSet(true));
        String testFeatures = workDir + "/features/test";
        FeaturizeJob.run(spark, pixels(test, testFeatures).withFittedFrom(poolFeatures).withTargetSet(true));
        return new Tables(pool, poolFeatures, targetFeatures, testFeatures,
                "shipped Fashion-MNIST sample (" + sample + "): noisy pool of 2,000 (40% flipped labels, 10% duplicates,"
                        + " 10% off-class), clean target 200, test 1,000; pixels → " + PROJECTION_DIM + "-d random projection");
    }

    private String ingest(SparkSession spark, String split, String workDir) {
        String out = workDir + "/pool/" + split;
        IngestJob.run(spark, IngestParams.of(List.of(sample + "/" + split), out).withFormat(InputFormat.PARQUET));
        return out;
    }

    private static FeaturizeParams pixels(String input, String output) {
        return FeaturizeParams.of(input, output, FeaturizerKind.PIXELS).withProjection(PROJECTION_DIM, PROJECTION_SEED);
    }
}
