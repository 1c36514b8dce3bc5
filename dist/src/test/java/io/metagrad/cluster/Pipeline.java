package io.metagrad.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * The four jobs on the shipped sample, as command lines (the same options for {@code bin/mgd}, spark-submit on
 * local Spark or on a cluster): ingest the pool and target splits, featurize them (standardized pixels, seeded
 * 64-d projection fitted on the pool), select with a few MGD steps, curate. Every path is under {@code base}
 * ({@code file://} or {@code s3a://}), the sample under {@code sample}.
 */
record Pipeline(String sample, String base) {

    static final String INGEST = "io.metagrad.spark.ingest.IngestJob";
    static final String FEATURIZE = "io.metagrad.spark.featurize.FeaturizeJob";
    static final String SELECT = "io.metagrad.spark.select.SelectJob";
    static final String CURATE = "io.metagrad.spark.curate.CurateJob";

    /** One job: its name, main class and options. */
    record Step(String name, String mainClass, List<String> args) {}

    String pool() { return base + "/pool/pool"; }
    String target() { return base + "/pool/target"; }
    String poolFeatures() { return base + "/features/pool"; }
    String targetFeatures() { return base + "/features/target"; }
    String selectRun() { return base + "/select"; }
    String curateOutput() { return base + "/curate"; }

    List<Step> prepare() {
        return List.of(
                new Step("ingest-pool", INGEST, List.of("--input", sample + "/pool", "--format", "parquet", "--output", pool())),
                new Step("ingest-target", INGEST, List.of("--input", sample + "/target", "--format", "parquet", "--output", target())),
                new Step("featurize-pool", FEATURIZE, List.of("--input", pool(), "--output", poolFeatures(), "--featurizer", "pixels",
                        "--projection-dim", "64", "--seed", "1")),
                new Step("featurize-target", FEATURIZE, List.of("--input", target(), "--output", targetFeatures(), "--featurizer",
                        "pixels", "--projection-dim", "64", "--seed", "1", "--fitted-from", poolFeatures(), "--target-set")));
    }

    /**
     * select with {@code steps} MGD steps of two replicas, each training a logistic model for {@code trainSteps} steps
     * (the demo's learning rate and mask probability, fewer steps).
     */
    Step select(String run, int steps, int trainSteps) {
        return new Step("select", SELECT, List.of("--pool", poolFeatures(), "--target", targetFeatures(), "--output", run,
                "--mgd-steps", "" + steps, "--replicas", "2", "--train-steps", "" + trainSteps, "--lr", "0.003", "--mask-p", "0.3"));
    }

    Step select() {
        return select(selectRun(), STEPS, TRAIN_STEPS);
    }

    /** curate to Parquet ({@code table} null) or to an Iceberg table in a Hadoop catalog at {@code warehouse}. */
    Step curate(String run, String output, String table, String warehouse) {
        List<String> a = new ArrayList<>(List.of("--input", pool(), "--selection", run, "--output", output));
        if (table != null) {
            a.addAll(List.of("--format", "iceberg", "--table", table, "--warehouse", warehouse));
        }
        return new Step("curate", CURATE, a);
    }

    static final int STEPS = 3;
    static final int TRAIN_STEPS = 200;
}
