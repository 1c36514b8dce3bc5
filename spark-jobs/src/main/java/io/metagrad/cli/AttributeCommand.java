package io.metagrad.cli;

import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.attribute.AttributeJob;
import io.metagrad.spark.attribute.AttributeOptions;
import io.metagrad.spark.attribute.AttributeParams;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "attribute", mixinStandardHelpOptions = true,
        description = {"Exact-influence attribution: one metagradient per target example with respect to every",
            "training example's weight, as a table (target_uid, train_uid, score) plus top-k per target."})
final class AttributeCommand implements Callable<Integer> {

    @Mixin
    AttributeOptions options = new AttributeOptions();

    @Override
    public Integer call() {
        AttributeParams params = options.toParams();
        AttributeJob.Result r = AttributeJob.run(SparkSessions.getOrCreate("metagrad-attribute"), params);
        System.out.print(AttributeJob.summary(r, options.top()));
        return 0;
    }
}
