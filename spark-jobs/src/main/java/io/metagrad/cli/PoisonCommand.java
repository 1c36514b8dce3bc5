package io.metagrad.cli;

import io.metagrad.spark.poison.PoisonJob;
import io.metagrad.spark.poison.PoisonOptions;
import io.metagrad.spark.poison.PoisonParams;
import io.metagrad.spark.select.JobSession;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mgd poison}: a data-poisoning audit. */
@Command(name = "poison", mixinStandardHelpOptions = true,
        description = {
            "Audits how fragile training is to a small poisoned slice of the training table (MGD-DP, method.md §4):",
            "MGD ascends the validation loss by its exact metagradient with respect to the features (and/or soft labels)",
            "of an ε-fraction of the rows, within a box or a ball, checkpointed under --output (rerun to resume); the",
            "baselines change the same rows in one go. Then trains on clean and poisoned rows with --eval-seeds seeds.",
            "Writes --output/poisoned/ (source marks the poisoned rows), report.json, report.md, accuracy.png, images.png."})
final class PoisonCommand implements Callable<Integer> {

    @Mixin
    PoisonOptions options = new PoisonOptions();

    @Override
    public Integer call() {
        PoisonParams params = options.toParams();
        PoisonJob.Result r = PoisonJob.run(JobSession.start("mgd poison", options.conf()), params);
        System.out.println(PoisonJob.summary(r));
        return 0;
    }
}
