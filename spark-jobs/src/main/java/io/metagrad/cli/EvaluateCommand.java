package io.metagrad.cli;

import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.evaluate.EvaluateJob;
import io.metagrad.spark.evaluate.EvaluateOptions;
import io.metagrad.spark.evaluate.EvaluateParams;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Compares data-selection methods side by side: each selects from the pool per budget using the",
            "target split; the downstream model is trained on each selection with several seeds and scored on",
            "the test split. Writes evaluate.json, evaluate.md, evaluate.png and evaluate-balanced.png."})
final class EvaluateCommand implements Callable<Integer> {

    @Mixin
    EvaluateOptions options = new EvaluateOptions();

    @Override
    public Integer call() {
        EvaluateParams params = options.toParams();
        EvaluateJob.Result r = EvaluateJob.run(SparkSessions.getOrCreate("metagrad-evaluate"), params);
        System.out.print(EvaluateJob.summary(r) + EvaluateJob.submissionsLine(r, params));
        return 0;
    }
}
