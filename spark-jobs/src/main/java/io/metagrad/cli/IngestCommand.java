package io.metagrad.cli;

import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.ingest.IngestJob;
import io.metagrad.spark.ingest.IngestOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mgd ingest}: input files → a validated pool table. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Reads Parquet, JSONL, CSV or DataComp shards (.parquet + .npz) into a validated pool table.",
            "Bad rows (duplicate uid, missing field, wrong type, NaN/Inf, ragged vectors) stop the job with their",
            "file, row and field, or with --on-bad quarantine go to a separate table."})
final class IngestCommand implements Callable<Integer> {

    @Mixin
    IngestOptions options;

    @Override
    public Integer call() {
        var result = IngestJob.run(SparkSessions.getOrCreate("mgd ingest"), options.toParams());
        System.out.println(result.summary());
        return 0;
    }
}
