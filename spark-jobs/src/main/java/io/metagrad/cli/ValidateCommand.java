package io.metagrad.cli;

import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.attribute.ValidateJob;
import io.metagrad.spark.attribute.ValidateParams;
import io.metagrad.spark.train.SmoothingFlags;
import io.metagrad.spark.train.TrainingFlags;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Linear datamodeling score (LDS) of exact influence and of two final-model baselines:",
            "retrains on M random subsets with a fraction α removed and correlates predictions with the truth."})
final class ValidateCommand implements Callable<Integer> {

    @Option(names = "--train", required = true, description = "Features table of the training pool.")
    String train;

    @Option(names = "--targets", required = true, description = "Features table of the target examples.")
    String targets;

    @Option(names = "--output", required = true, description = "Output directory (lds.json, lds.md, lds.png).")
    String output;

    @Option(names = "--subsets", defaultValue = "100", description = "Random removal sets M (default: ${DEFAULT-VALUE}).")
    int subsets;

    @Option(names = "--remove-fraction", defaultValue = "0.01", description = "Fraction α removed per set (default: ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--bootstrap", defaultValue = "1000", description = "Bootstrap resamples (default: ${DEFAULT-VALUE}).")
    int bootstrap;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the removal sets (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--classes", defaultValue = "0", description = "Number of classes; 0 = from the labels (default).")
    int classes;

    @Option(names = "--max-targets", defaultValue = "0", description = "Use only the first N targets (uid order); 0 = all (default).")
    int maxTargets;

    @Option(names = "--targets-per-task", defaultValue = "8", description = "Targets per attribution task (default: ${DEFAULT-VALUE}).")
    int perTask;

    @Option(names = "--replay-k", defaultValue = "0", description = "REPLAY factor; 0 = ⌈√T⌉ (default).")
    int replayK;

    @Option(names = "--overwrite", description = "Replace an existing output.")
    boolean overwrite;

    @Mixin
    TrainingFlags training;

    @Mixin
    SmoothingFlags knobs;

    @Override
    public Integer call() {
        ValidateParams params = new ValidateParams(train, targets, output, training.toOptions(), knobs.toKnobs(), classes,
                maxTargets, subsets, alpha, bootstrap, seed, perTask, replayK, overwrite);
        ValidateJob.Result r = ValidateJob.run(SparkSessions.getOrCreate("metagrad-validate"), params);
        System.out.print(ValidateJob.markdown(params, r));
        System.out.println("outputs: " + r.output() + "/{lds.json,lds.md,lds.png,target0-scatter.png}");
        return 0;
    }
}
