package io.metagrad.spark.evaluate;

import io.metagrad.spark.select.Method;
import io.metagrad.spark.train.ModelFlags;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The command-line spelling of {@link EvaluateParams}, shared by {@code mgd evaluate} and
 * {@code spark-submit --class io.metagrad.spark.evaluate.EvaluateJob}.
 */
public final class EvaluateOptions {

    @Option(names = "--pool", required = true, description = "Features table of the candidate pool.")
    String pool;

    @Option(names = "--target", required = true, description = "Features table of the target split (seen by the methods).")
    String target;

    @Option(names = "--test", required = true, description = "Features table of the test split (seen by no method).")
    String test;

    @Option(names = "--prompts", description = "Class-prompts table with embeddings (required with --model CLIP).")
    String prompts;

    @Option(names = "--output", required = true, description = "Output directory.")
    String output;

    @Option(names = "--methods", split = ",",
            description = "Methods to compare (default: random,loss,grad-sim,influence,mgd,mgd-prune, and clip-score with"
                    + " --model CLIP: without a pair score it is the loss baseline row for row).")
    String[] methods;

    @Option(names = "--budgets", split = ",", defaultValue = "0.3,0.5,0.7", description = "Fractions kept (default: ${DEFAULT-VALUE}).")
    double[] budgets;

    @Option(names = "--seeds", defaultValue = "5", description = "Downstream seeds per selection (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--mgd-steps", defaultValue = "10", description = "MGD steps S (default: ${DEFAULT-VALUE}).")
    int mgdSteps;

    @Option(names = "--mgd-replicas", defaultValue = "2", description = "MGD replicas per step (default: ${DEFAULT-VALUE}).")
    int mgdReplicas;

    @Option(names = "--mgd-step-size", defaultValue = "1", description = "MGD count change per step (default: ${DEFAULT-VALUE}).")
    int mgdStepSize;

    @Option(names = "--mgd-mask-probability", defaultValue = "0.2", description = "MGD Bernoulli p (default: ${DEFAULT-VALUE}).")
    double mgdMask;

    @Option(names = "--mgd-prune-fraction", defaultValue = "0.02",
            description = "Share of the pool one mgd-prune step drops (default: ${DEFAULT-VALUE}).")
    double mgdPruneFraction;

    @Option(names = "--mgd-target", defaultValue = "pairs",
            description = "With --model CLIP and --prompts, what MGD descends: zero-shot (the target images' zero-shot loss"
                    + " against the prompts) or pairs (the target pairs' contrastive loss) (default: ${DEFAULT-VALUE}).")
    String mgdTarget;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the methods' randomness (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--overwrite", description = "Replace an existing output.")
    boolean overwrite;

    @Option(names = "--selection", paramLabel = "NAME=RUN",
            description = "A finished select run to compare as it is (repeatable), e.g. a DataComp filter: trained"
                    + " downstream like every method, on what it kept (reported with its kept fraction and total weight).")
    java.util.LinkedHashMap<String, String> selections;

    @Option(names = "--submissions",
            description = "Also write every compared selection's DataComp submission (subset.npy, submission.json: what curate"
                    + " --npy writes) under submissions/<method>-<budget>/ and submissions/<NAME>/ (--selection) of the output.")
    boolean submissions;

    @Option(names = "--oracle-sources", split = ",", paramLabel = "SOURCE",
            description = "Values of the pool's source field that mark items known to be good (e.g. clean, where a sample"
                    + " records its noise): adds an oracle row per budget that keeps those first, the gain a selection of that"
                    + " size can reach; every method's gain is also shown as a share of it.")
    List<String> oracleSources;

    @Mixin
    ModelFlags model = new ModelFlags();

    /** The validated parameters. */
    public EvaluateParams toParams() {
        List<Method> chosen = methods == null ? EvaluateParams.defaultMethods(model.training().pairsFeaturesWithTargets())
                : Arrays.stream(methods).map(Method::parse).toList();
        return new EvaluateParams(pool, target, test, prompts, output, chosen, budgets,
                seeds, model.training(), model.knobs(), model.classes(),
                new MgdSettings(mgdSteps, mgdReplicas, mgdStepSize, mgdMask, mgdPruneFraction, zeroShotTarget()), seed, overwrite,
                selections, submissions, oracleSources);
    }

    private boolean zeroShotTarget() {
        return switch (mgdTarget) {
            case "zero-shot" -> true;
            case "pairs" -> false;
            default -> throw new IllegalArgumentException("--mgd-target " + mgdTarget + " invalid; choose zero-shot or pairs");
        };
    }
}
