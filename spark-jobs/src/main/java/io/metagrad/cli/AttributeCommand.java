package io.metagrad.cli;

import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.attribute.AttributeJob;
import io.metagrad.spark.attribute.AttributeParams;
import io.metagrad.spark.train.SmoothingFlags;
import io.metagrad.spark.train.TrainingFlags;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "attribute", mixinStandardHelpOptions = true,
        description = {"Exact-influence attribution: one metagradient per target example with respect to every",
            "training example's weight, as a table (target_uid, train_uid, score) plus top-k per target."})
final class AttributeCommand implements Callable<Integer> {

    @Option(names = "--train", required = true, description = "Features table of the training pool.")
    String train;

    @Option(names = "--targets", required = true, description = "Features table of the target examples.")
    String targets;

    @Option(names = "--output", required = true, description = "Output directory.")
    String output;

    @Option(names = "--classes", defaultValue = "0", description = "Number of classes; 0 = from the labels (default).")
    int classes;

    @Option(names = "--max-targets", defaultValue = "0", description = "Use only the first N targets (uid order); 0 = all (default).")
    int maxTargets;

    @Option(names = "--targets-per-task", defaultValue = "8", description = "Targets sharing one task and forward run (default: ${DEFAULT-VALUE}).")
    int perTask;

    @Option(names = "--top", defaultValue = "10", description = "Helpful and harmful examples listed per target (default: ${DEFAULT-VALUE}).")
    int top;

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
        AttributeParams params = new AttributeParams(train, targets, output, training.toOptions(), knobs.toKnobs(), classes,
                maxTargets, perTask, top, replayK, overwrite);
        AttributeJob.Result r = AttributeJob.run(SparkSessions.getOrCreate("metagrad-attribute"), params);
        System.out.printf("attribute: %d targets × %d training examples%n  scores: %s%n  top-%d: %s%n", r.targets(),
                r.trainRows(), r.scoresPath(), top, r.topPath());
        return 0;
    }
}
