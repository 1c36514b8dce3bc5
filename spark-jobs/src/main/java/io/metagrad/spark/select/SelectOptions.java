package io.metagrad.spark.select;

import io.metagrad.spark.train.SmoothingFlags;
import io.metagrad.spark.train.TrainingFlags;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The command-line spelling of {@link SelectParams}, shared by {@code mgd select} and
 * {@code spark-submit --class io.metagrad.spark.select.SelectJob}. Defaults equal the builder's.
 */
public final class SelectOptions {

    @Option(names = "--pool", required = true, description = "Features table of the candidate pool.")
    String pool;

    @Option(names = "--target", required = true, description = "Features table of the target set (labelled).")
    String target;

    @Option(names = "--heldout", description = "Features table that scores iterates (default: hold out part of --target).")
    String heldout;

    @Option(names = "--heldout-fraction",
            description = "Share of --target held out, by uid hash, when --heldout is not given (default: 0.5 for"
                    + " --update signed, 0 = none for --update prune).")
    Double heldoutFraction;

    @Option(names = "--output", required = true, description = "Run directory; an existing run there is resumed.")
    String output;

    @Mixin
    TrainingFlags training = new TrainingFlags();

    @Mixin
    SmoothingFlags knobs = new SmoothingFlags();

    @Option(names = "--prompts",
            description = "Class-prompts table (CLIP head): MGD then descends the zero-shot loss of the labelled target images"
                    + " against these prompts instead of the pairs' contrastive loss.")
    String prompts;

    @Option(names = "--classes", defaultValue = "0", description = "Number of classes (default: largest label + 1).")
    int classes;

    @Option(names = "--update", defaultValue = "signed",
            description = "How a step changes the counts: signed (method.md §4: ±step size on a Bernoulli mask over the whole"
                    + " pool, best held-out iterate) or prune (train on the kept items only and drop the --prune-fraction"
                    + " with the largest metagradient until the budget is left; needs --keep or --keep-fraction)"
                    + " (default: ${DEFAULT-VALUE}).")
    String update;

    @Option(names = "--prune-fraction", defaultValue = "0.02",
            description = "Share of the pool one prune step drops (default: ${DEFAULT-VALUE}).")
    double pruneFraction;

    @Option(names = "--mgd-steps", defaultValue = "20",
            description = "MGD steps S of --update signed; prune takes as many as the budget needs (default: ${DEFAULT-VALUE}).")
    int mgdSteps;

    @Option(names = "--step-size", defaultValue = "1", description = "Count change m per step (default: ${DEFAULT-VALUE}).")
    int stepSize;

    @Option(names = "--mask-p", defaultValue = "0.2",
            description = "Bernoulli probability that a count is updated in a step (default: ${DEFAULT-VALUE}).")
    double maskProbability;

    @Option(names = "--replicas", defaultValue = "2",
            description = "Metagradient replicas per step, one Spark task each (default: ${DEFAULT-VALUE}).")
    int replicas;

    @Option(names = "--replay-k", defaultValue = "0", description = "REPLAY branching factor (default: ⌈√T⌉).")
    int replayK;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the Bernoulli masks (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--initial-count", defaultValue = "1", description = "Starting count of every item (default: ${DEFAULT-VALUE}).")
    int initialCount;

    @Option(names = "--initial-counts", paramLabel = "TABLE",
            description = "Start each item from its own count instead: a table with columns uid and count (e.g. a previous"
                    + " run's selection/, to refine it), joined with the pool on uid; items it does not list start at 0"
                    + " (excluded). Counts are whole numbers >= 0; a uid not in the pool or listed twice is refused.")
    String initialCounts;

    @Option(names = "--keep", defaultValue = "0", description = "Keep at most this many items at the end (default: no limit).")
    long keep;

    @Option(names = "--keep-fraction", defaultValue = "0",
            description = "Keep at most this share of the pool at the end (default: no limit).")
    double keepFraction;

    @Option(names = "--overwrite", description = "Delete an existing run directory instead of resuming it.")
    boolean overwrite;

    @Option(names = "--stop-after", defaultValue = "0",
            description = "Stop once this step is complete; rerun the same command to resume (default: run all steps).")
    int stopAfter;

    @Option(names = "--smoothness-directions", defaultValue = "2",
            description = "Before the first step, estimate the training routine's metasmoothness along this many random "
                    + "directions in the weights, one task each; 0 skips it (default: ${DEFAULT-VALUE}).")
    int smoothnessDirections;

    @Option(names = "--smoothness-step", defaultValue = "0.1",
            description = "Step h of the metasmoothness estimator, in counts (default: ${DEFAULT-VALUE}).")
    double smoothnessStep;

    @Option(names = "--smoothness-threshold", defaultValue = "0.5",
            description = "Warn, naming the knobs, when metasmoothness is below this (default: ${DEFAULT-VALUE}).")
    double smoothnessThreshold;

    @Option(names = "--conf", description = "key=value: Spark settings, or mgd.device=cpu|gpu.")
    Map<String, String> conf = new LinkedHashMap<>();

    /** The validated parameters. */
    public SelectParams toParams() {
        return SelectParams.builder(pool, target, output)
                .heldout(heldout)
                .heldoutFraction(heldoutFraction)
                .training(training.toOptions())
                .knobs(knobs.toKnobs())
                .prompts(prompts)
                .classes(classes)
                .update(updateRule())
                .pruneFraction(pruneFraction)
                .mgdSteps(mgdSteps)
                .stepSize(stepSize)
                .maskProbability(maskProbability)
                .replicas(replicas)
                .replayK(replayK)
                .seed(seed)
                .initialCount(initialCount)
                .initialCounts(initialCounts)
                .keep(keep)
                .keepFraction(keepFraction)
                .overwrite(overwrite)
                .stopAfter(stopAfter)
                .smoothness(new SmoothnessCheck(smoothnessDirections, smoothnessStep, smoothnessThreshold))
                .build();
    }

    private UpdateRule updateRule() {
        for (UpdateRule r : UpdateRule.values()) {
            if (r.cliName().equalsIgnoreCase(update)) {
                return r;
            }
        }
        throw new IllegalArgumentException("--update " + update + " invalid; choose signed or prune");
    }

    /** Sets {@code --update} (so that {@code mgd select --method mgd-prune} can ask for PRUNE). */
    public void update(UpdateRule rule) {
        update = rule.cliName();
    }

    /** The {@code --conf} pairs. */
    public Map<String, String> conf() {
        return Map.copyOf(conf);
    }
}
