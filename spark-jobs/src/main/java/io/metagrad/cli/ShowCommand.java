package io.metagrad.cli;

import io.metagrad.spark.show.RunInfo;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mgd show RUN}: what a run directory holds, without starting Spark. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Prints what a metagrad output directory holds: its kind, parameters, MGD steps and selection size.")
final class ShowCommand implements Callable<Integer> {

    enum Format { text, json }

    @Parameters(index = "0", paramLabel = "RUN", description = "A run directory (select's or evaluate's --output, …).")
    String run;

    @Option(names = "--format", defaultValue = "text", description = "text (default) or json (one object, for scripts).")
    Format format;

    @Override
    public Integer call() {
        RunInfo info = RunInfo.read(run, new Configuration());
        System.out.print(format == Format.json ? info.json() + "\n" : info.text());
        return 0;
    }
}
