package io.metagrad.cluster;

import io.metagrad.spark.curate.CurateJob;
import io.metagrad.spark.curate.CurateOptions;
import io.metagrad.spark.featurize.FeaturizeJob;
import io.metagrad.spark.featurize.FeaturizeOptions;
import io.metagrad.spark.ingest.IngestJob;
import io.metagrad.spark.ingest.IngestOptions;
import io.metagrad.spark.select.SelectJob;
import io.metagrad.spark.select.SelectOptions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;

/**
 * Runs a pipeline step on local Spark in this JVM, from the unshaded classes, parsing the same options as the
 * job's {@code main}: the reference the cluster runs are compared with.
 */
final class LocalRun {

    private LocalRun() {}

    static void run(SparkSession spark, Pipeline.Step step) {
        String[] args = step.args().toArray(new String[0]);
        switch (step.mainClass()) {
            case Pipeline.INGEST -> IngestJob.run(spark, parse(new IngestOptions(), args).toParams());
            case Pipeline.FEATURIZE -> FeaturizeJob.run(spark, parse(new FeaturizeOptions(), args).toParams());
            case Pipeline.SELECT -> SelectJob.run(spark, parse(new SelectOptions(), args).toParams());
            case Pipeline.CURATE -> CurateJob.run(spark, parse(new CurateOptions(), args).toParams());
            default -> throw new IllegalArgumentException("no local runner for " + step.mainClass());
        }
    }

    private static <O> O parse(O options, String[] args) {
        new CommandLine(options).parseArgs(args);
        return options;
    }
}
