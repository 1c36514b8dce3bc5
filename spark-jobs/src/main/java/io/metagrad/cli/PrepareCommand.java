package io.metagrad.cli;

import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.prepare.PrepareJob;
import io.metagrad.spark.prepare.PrepareOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mgd prepare}: raw splits → pool tables → features tables, in one Spark session. */
@Command(name = "prepare", mixinStandardHelpOptions = true,
        description = {"Raw splits to pool and features tables in one Spark session and one commit (ingest, then featurize).",
            "--split pool=raw/pool.csv --split target=raw/target.csv [ingest options] --featurizer NAME [featurize options]",
            "[--target-split target] --output DIR writes DIR/pool/NAME and DIR/features/NAME, the tables that ingest --split",
            "and then featurize --split write. The label index and the featurizer are fitted on the first split; a failure",
            "anywhere leaves no DIR."})
final class PrepareCommand implements Callable<Integer> {

    @Mixin
    PrepareOptions options;

    @Override
    public Integer call() {
        System.out.println(PrepareJob.run(SparkSessions.getOrCreate("mgd prepare"), options.toParams()).summary());
        return 0;
    }
}
