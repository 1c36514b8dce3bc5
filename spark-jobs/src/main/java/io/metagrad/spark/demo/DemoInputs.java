package io.metagrad.spark.demo;

import org.apache.spark.sql.SparkSession;

/**
 * The first half of the demo: producing the tables select needs. The one seam between the demo and
 * the ingest/featurize jobs.
 */
interface DemoInputs {

    /**
     * Tables the demo selects from and evaluates on.
     *
     * @param pool the pool table (uid, …, and {@code source}: clean/flipped/duplicate/… when known)
     * @param poolFeatures features of the pool
     * @param targetFeatures features of the clean target set (labelled)
     * @param testFeatures features of the clean test set (labelled)
     * @param description one line on where they came from
     */
    record Tables(String pool, String poolFeatures, String targetFeatures, String testFeatures, String description) {}

    /** Writes (or reads) the tables under {@code workDir}. */
    Tables prepare(SparkSession spark, String workDir);
}
