package io.metagrad.cli;

import io.metagrad.spark.select.JobSession;
import io.metagrad.spark.tune.TuneJob;
import io.metagrad.spark.tune.TuneOptions;
import io.metagrad.spark.tune.TuneParams;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mgd tune-lr}: learning-rate-schedule tuning by metagradient. */
@Command(name = "tune-lr", mixinStandardHelpOptions = true,
        description = {
            "Tunes the learning rate of every training step (or of --knots K knots of a piecewise-linear schedule, and",
            "optionally the weight decay) by metagradient descent on the validation loss, in log space, checkpointed under",
            "--output (rerun to resume); or tries a grid of schedules (--method grid, one Spark task each) or random ones.",
            "Writes --output/schedule.json (train with --lr-schedule file:…/schedule.json), report.json, report.md,",
            "schedule.png and validation.png."})
final class TuneLrCommand implements Callable<Integer> {

    @Mixin
    TuneOptions options = new TuneOptions();

    @Override
    public Integer call() {
        TuneParams params = options.toParams();
        System.out.println(TuneJob.summary(TuneJob.run(JobSession.start("mgd tune-lr", options.conf()), params)));
        return 0;
    }
}
