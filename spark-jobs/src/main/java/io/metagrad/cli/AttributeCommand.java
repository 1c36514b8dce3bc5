package io.metagrad.cli;

import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.attribute.AttributeJob;
import io.metagrad.spark.attribute.AttributeParams;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "attribute", mixinStandardHelpOptions = true,
        description = {"Exact-influence attribution: one metagradient per target example with respect to every",
            "training example's weight, as a table (target_uid, train_uid, score) plus top-k per target."})
final class AttributeCommand implements Callable<Integer> {

    @Mixin
    AttributionFlags io;

    @Option(names = "--top", defaultValue = "10", description = "Helpful and harmful examples listed per target (default: ${DEFAULT-VALUE}).")
    int top;

    @Mixin
    ModelFlags model;

    @Override
    public Integer call() {
        AttributeParams params = new AttributeParams(io.train, io.targets, io.output, model.training.toOptions(),
                model.knobs.toKnobs(), model.classes, io.maxTargets, io.perTask, top, io.replayK, io.overwrite);
        AttributeJob.Result r = AttributeJob.run(SparkSessions.getOrCreate("metagrad-attribute"), params);
        System.out.printf("attribute: %d targets × %d training examples%n  scores: %s%n  top-%d: %s%n", r.targets(),
                r.trainRows(), r.scoresPath(), top, r.topPath());
        return 0;
    }
}
