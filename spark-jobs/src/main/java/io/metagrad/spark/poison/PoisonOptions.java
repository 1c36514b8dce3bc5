package io.metagrad.spark.poison;

import io.metagrad.spark.descent.DescentFlags;
import io.metagrad.spark.train.ModelFlags;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The command-line spelling of {@link PoisonParams}, shared by {@code mgd poison} and
 * {@code spark-submit --class io.metagrad.spark.poison.PoisonJob}.
 */
public final class PoisonOptions {

    @Option(names = "--train", required = true, description = "Features table the model trains on; an ε-fraction of it is poisoned.")
    String train;

    @Option(names = "--validation", required = true, description = "Features table whose mean loss the attack maximizes.")
    String validation;

    @Option(names = "--test", required = true, description = "Features table that is only scored.")
    String test;

    @Option(names = "--output", required = true, description = "Run directory; an existing MGD run there is resumed.")
    String output;

    @Option(names = "--method", defaultValue = "mgd",
            description = "mgd, or a baseline: random-flip, adversarial-flip, gradient-ascent, gradcancel (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--fraction", defaultValue = "0.025", description = "ε: share of training rows poisoned, in (0, 1) (default: ${DEFAULT-VALUE}).")
    double fraction;

    @Option(names = "--optimize", defaultValue = "features",
            description = "What MGD changes: features, labels (soft, on the simplex) or features,labels (default: ${DEFAULT-VALUE}).")
    String optimize;

    @Option(names = "--box", defaultValue = "data",
            description = "Box of the poisoned features: data (the training table's range), pixels (pixel values in [0, 1]"
                    + " under the table's standardization) or LO,HI in feature units (default: ${DEFAULT-VALUE}).")
    String box;

    @Option(names = "--ball", defaultValue = "0",
            description = "Instead of the box: each poisoned row within this L2 distance of its original features (embeddings).")
    double ball;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the poisoned rows' choice and the random flips (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--replicas", defaultValue = "2",
            description = "Metagradient replicas per MGD step, one Spark task each, training seeds base … base+R−1 (default: ${DEFAULT-VALUE}).")
    int replicas;

    @Option(names = "--replay-k", defaultValue = "0", description = "REPLAY branching factor (default: ⌈√T⌉).")
    int replayK;

    @Option(names = "--eval-seeds", defaultValue = "3",
            description = "Downstream trainings on the clean and the poisoned rows, seeds base+1000 … (default: ${DEFAULT-VALUE}).")
    int evalSeeds;

    @Option(names = "--ascent-step", defaultValue = "0",
            description = "gradient-ascent: the step; 0 = as far as the box or ball allows (default: ${DEFAULT-VALUE}).")
    double ascentStep;

    @Option(names = "--gc-radius", defaultValue = "0.5",
            description = "gradcancel: the target parameter's distance from the clean one, as a share of its norm (default: ${DEFAULT-VALUE}).")
    double gcRadius;

    @Option(names = "--gc-corrupt-steps", defaultValue = "50",
            description = "gradcancel: normalized ascent steps that make the target parameter (default: ${DEFAULT-VALUE}).")
    int gcCorruptSteps;

    @Option(names = "--gc-steps", defaultValue = "200",
            description = "gradcancel: signed descent steps on the poisoned features (default: ${DEFAULT-VALUE}).")
    int gcSteps;

    @Option(names = "--gc-step-size", defaultValue = "0.05",
            description = "gradcancel: the first descent step, decaying linearly to a tenth (default: ${DEFAULT-VALUE}).")
    double gcStepSize;

    @Option(names = "--overwrite", description = "Delete an existing output first (an MGD run is otherwise resumed).")
    boolean overwrite;

    @Option(names = "--conf", description = "key=value: Spark settings.")
    Map<String, String> conf = new LinkedHashMap<>();

    @Mixin
    ModelFlags model = new ModelFlags();

    @Mixin
    DescentFlags descent = new DescentFlags(30, 0.1);

    /** The validated parameters. */
    public PoisonParams toParams() {
        boolean features = false;
        boolean labels = false;
        for (String part : optimize.split(",")) {
            switch (part.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "features" -> features = true;
                case "labels" -> labels = true;
                default -> throw new IllegalArgumentException("poison --optimize " + optimize
                        + " invalid; choose features, labels or features,labels");
            }
        }
        return PoisonParams.builder(train, validation, test, output)
                .method(PoisonMethod.parse(method))
                .fraction(fraction)
                .optimize(features, labels)
                .box(BoxSpec.parse(box))
                .ball(ball)
                .training(model.training())
                .knobs(model.knobs())
                .classes(model.classes())
                .descent(descent.toSettings())
                .replicas(replicas)
                .replayK(replayK)
                .seed(seed)
                .evalSeeds(evalSeeds)
                .ascentStep(ascentStep)
                .gradCancel(gcRadius, gcCorruptSteps, gcSteps, gcStepSize)
                .overwrite(overwrite)
                .build();
    }

    /** The {@code --conf} pairs. */
    public Map<String, String> conf() {
        return Map.copyOf(conf);
    }
}
