package io.metagrad.cli;

import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.featurize.FeaturizeJob;
import io.metagrad.spark.featurize.FeaturizeOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mgd featurize}: a pool table → a features table. */
@Command(name = "featurize", mixinStandardHelpOptions = true,
        description = {"Turns a pool table into a features table (uid, features, label, target, featurizer, version, params).",
            "Featurize target and test splits with --fitted-from <pool features> so they share the pool's feature space,",
            "or all splits at once: --split pool=DIR --split target=DIR --target-split target --output DIR."})
final class FeaturizeCommand implements Callable<Integer> {

    @Mixin
    FeaturizeOptions options;

    @Override
    public Integer call() {
        System.out.println(FeaturizeJob.run(SparkSessions.getOrCreate("mgd featurize"), options));
        return 0;
    }
}
