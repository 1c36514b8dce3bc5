package io.metagrad.cli;

import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.attribute.ValidateJob;
import io.metagrad.spark.attribute.ValidateOptions;
import io.metagrad.spark.attribute.ValidateParams;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Linear datamodeling score (LDS) of exact influence and of two final-model baselines:",
            "retrains on M random subsets with a fraction α removed and correlates predictions with the truth.",
            "Writes lds.json, lds.md, lds.png and target0-scatter.png."})
final class ValidateCommand implements Callable<Integer> {

    @Mixin
    ValidateOptions options = new ValidateOptions();

    @Override
    public Integer call() {
        ValidateParams params = options.toParams();
        ValidateJob.Result r = ValidateJob.run(SparkSessions.getOrCreate("metagrad-validate"), params);
        System.out.print(ValidateJob.summary(params, r));
        return 0;
    }
}
