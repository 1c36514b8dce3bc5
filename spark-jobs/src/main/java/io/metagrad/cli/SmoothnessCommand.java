package io.metagrad.cli;

import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.attribute.SmoothnessJob;
import io.metagrad.spark.attribute.SmoothnessOptions;
import io.metagrad.spark.attribute.SmoothnessParams;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "smoothness", mixinStandardHelpOptions = true,
        description = {"Metasmoothness of a training configuration (1 = smooth): three training runs per random",
            "direction in the per-example weights, no metagradient. Check it before trusting metagradients."})
final class SmoothnessCommand implements Callable<Integer> {

    @Mixin
    SmoothnessOptions options = new SmoothnessOptions();

    @Override
    public Integer call() {
        SmoothnessParams params = options.toParams();
        SmoothnessJob.Result r = SmoothnessJob.run(SparkSessions.getOrCreate("metagrad-smoothness"), params);
        System.out.print(SmoothnessJob.summary(r));
        return 0;
    }
}
