package io.metagrad.cli;

import io.metagrad.spark.io.AtomicFiles;
import io.metagrad.spark.report.Html;
import io.metagrad.spark.report.RunReport;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mgd report RUN}: renders a run directory's {@code report.html} again (the jobs write it at their end), without Spark. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Writes a self-contained HTML report of a run directory (select, evaluate, attribute, validate, poison,"
                + " tune-lr): its tables, plots, parameters and provenance. Opens offline in any browser.")
final class ReportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN", description = "A run directory (a job's --output).")
    String run;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the page; default RUN/report.html.")
    String out;

    @Override
    public Integer call() {
        Configuration hadoop = new Configuration();
        String html = RunReport.render(run, run, hadoop);
        Path file = out == null ? new Path(run, RunReport.FILE_NAME) : new Path(out);
        // a file we did not write is never replaced: only an earlier report carries the generator mark
        AtomicFiles.read(file, hadoop).ifPresent(old -> {
            if (!new String(old, StandardCharsets.UTF_8).contains(Html.GENERATOR)) {
                throw new IllegalArgumentException("--out " + file + " exists and is not a metagrad report; choose another file");
            }
        });
        AtomicFiles.write(file, html.getBytes(StandardCharsets.UTF_8), hadoop);
        System.out.println("report: " + file);
        return 0;
    }
}
