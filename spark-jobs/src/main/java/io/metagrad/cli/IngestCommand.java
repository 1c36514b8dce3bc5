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
            "file, row and field, or with --on-bad quarantine go to a separate table.",
            "Plain tables: --vector NAME=f0,f1|f* gathers numeric columns into emb_NAME; --index-labels numbers class",
            "names (a fitted StringIndexer; the mapping goes into _metagrad.json); --split NAME=PATH writes one table per",
            "split under --output. In CSV an array cell (emb_NAME, pixels) is \"[0.1, 0.2]\", \"0.1 0.2\" or \"0.1;0.2\"."})
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
