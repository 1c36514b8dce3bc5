package io.metagrad.cli;

import io.metagrad.spark.demo.DemoJob;
import io.metagrad.spark.demo.DemoParams;
import io.metagrad.spark.select.JobSession;
import io.metagrad.spark.train.TrainingFlags;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mgd demo}: prepare → select → curate → evaluate on local Spark. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
            "Runs the whole pipeline on a small noisy sample in local mode and prints where the outputs are and what",
            "improved: target loss, test accuracy of training on all data vs on the selection, noisy items dropped."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--work-dir", defaultValue = "runs/demo", description = "Output directory (default: ${DEFAULT-VALUE}).")
    String workDir;

    @Option(names = "--overwrite", description = "Replace an existing work directory.")
    boolean overwrite;

    @Option(names = "--mgd-steps", defaultValue = "12", description = "MGD steps (default: ${DEFAULT-VALUE}).")
    int mgdSteps;

    @Option(names = "--mask-p", defaultValue = "0.2", description = "Bernoulli p of MGD (default: ${DEFAULT-VALUE}).")
    double maskProbability;

    @Option(names = "--replicas", defaultValue = "2", description = "Replicas per MGD step (default: ${DEFAULT-VALUE}).")
    int replicas;

    @Mixin
    TrainingFlags training = new TrainingFlags();

    @Override
    public Integer call() {
        DemoParams params = new DemoParams(workDir, overwrite, training.toOptions(), mgdSteps, maskProbability, replicas);
        DemoJob.run(JobSession.start("mgd demo", Map.of()), params, System.out);
        return 0;
    }
}
