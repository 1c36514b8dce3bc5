package io.metagrad.cli;

import io.metagrad.spark.demo.DemoJob;
import io.metagrad.spark.demo.DemoParams;
import io.metagrad.spark.select.JobSession;
import io.metagrad.spark.train.TrainingOptions;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mgd demo}: prepare → select → curate → evaluate on local Spark. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
            "Runs the whole pipeline on a small noisy sample in local mode and prints where the outputs are and what",
            "improved: target loss, test accuracy of training on all data vs on the selection, noisy items dropped."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--work-dir", defaultValue = "runs/demo", description = "Output directory (default: ${DEFAULT-VALUE}).")
    String workDir;

    @Option(names = "--sample", description = "Directory of the shipped sample (default: $MGD_HOME/data/sample).")
    String sample;

    @Option(names = "--overwrite", description = "Replace an existing work directory.")
    boolean overwrite;

    @Option(names = "--mgd-steps", defaultValue = "" + DemoParams.MGD_STEPS, description = "MGD steps (default: ${DEFAULT-VALUE}).")
    int mgdSteps;

    @Option(names = "--mask-p", defaultValue = "" + DemoParams.MASK_P, description = "Bernoulli p of MGD (default: ${DEFAULT-VALUE}).")
    double maskProbability;

    @Option(names = "--replicas", defaultValue = "" + DemoParams.REPLICAS, description = "Replicas per MGD step (default: ${DEFAULT-VALUE}).")
    int replicas;

    @Option(names = "--model", defaultValue = "LOGISTIC", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    TrainingOptions.ModelKind model;

    @Option(names = "--lr", defaultValue = "" + DemoParams.LR, description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--train-steps", defaultValue = "" + DemoParams.TRAIN_STEPS, description = "Training steps (default: ${DEFAULT-VALUE}).")
    int trainSteps;

    @Override
    public Integer call() {
        DemoParams params = new DemoParams(workDir, overwrite, DemoParams.training(model, lr, trainSteps), mgdSteps,
                maskProbability, replicas, sample != null ? sample : DemoParams.defaultSample());
        DemoJob.run(JobSession.start("mgd demo", Map.of()), params, System.out);
        return 0;
    }
}
