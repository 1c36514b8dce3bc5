package io.metagrad.cli;

import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.attribute.ValidateJob;
import io.metagrad.spark.attribute.ValidateParams;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Linear datamodeling score (LDS) of exact influence and of two final-model baselines:",
            "retrains on M random subsets with a fraction α removed and correlates predictions with the truth.",
            "Writes lds.json, lds.md, lds.png and target0-scatter.png."})
final class ValidateCommand implements Callable<Integer> {

    @Mixin
    AttributionFlags io;

    @Option(names = "--subsets", defaultValue = "100", description = "Random removal sets M (default: ${DEFAULT-VALUE}).")
    int subsets;

    @Option(names = "--remove-fraction", defaultValue = "0.01", description = "Fraction α removed per set (default: ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--bootstrap", defaultValue = "1000", description = "Bootstrap resamples (default: ${DEFAULT-VALUE}).")
    int bootstrap;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the removal sets (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    ModelFlags model;

    @Override
    public Integer call() {
        ValidateParams params = new ValidateParams(io.train, io.targets, io.output, model.training.toOptions(),
                model.knobs.toKnobs(), model.classes, io.maxTargets, subsets, alpha, bootstrap, seed, io.perTask, io.replayK,
                io.overwrite);
        ValidateJob.Result r = ValidateJob.run(SparkSessions.getOrCreate("metagrad-validate"), params);
        System.out.print(ValidateJob.markdown(params, r));
        System.out.println("outputs: " + r.output() + "/{lds.json,lds.md,lds.png,target0-scatter.png}");
        return 0;
    }
}
