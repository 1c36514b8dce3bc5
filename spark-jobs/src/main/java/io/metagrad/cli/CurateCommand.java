package io.metagrad.cli;

import io.metagrad.spark.curate.CurateJob;
import io.metagrad.spark.curate.Submission;
import io.metagrad.spark.curate.CurateOptions;
import io.metagrad.spark.select.JobSession;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mgd curate}: the selected subset as a table, a DataComp .npy and a summary. */
@Command(name = "curate", mixinStandardHelpOptions = true,
        description = {
            "Writes the items of a finished select run as --output/curated/ (the --input table's rows), the DataComp",
            "subset file --output/subset.npy and --output/summary.json, all committed at once; with --format iceberg",
            "the rows become one new snapshot of the Iceberg table --table CATALOG.DB.NAME instead."})
final class CurateCommand implements Callable<Integer> {

    @Mixin
    CurateOptions options = new CurateOptions();

    @Override
    public Integer call() {
        if (options.npy()) {
            Submission.Result s = Submission.run(JobSession.start("mgd curate", Map.of()), options.toParams());
            System.out.println("submission: " + s.selected() + " of " + s.poolSize() + " uids in " + s.npyPath() + ", summary "
                    + s.summaryPath());
            return 0;
        }
        CurateJob.Result r = CurateJob.run(JobSession.start("mgd curate", Map.of()), options.toParams());
        System.out.println("curated " + r.selected() + " of " + r.inputRows() + " rows into " + r.output()
                + (options.toParams().table() == null ? "" : " and table " + options.toParams().table()));
        return 0;
    }
}
