package io.metagrad.spark.tune;

import io.metagrad.spark.descent.DescentFlags;
import io.metagrad.spark.train.ModelFlags;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The command-line spelling of {@link TuneParams}, shared by {@code mgd tune-lr} and
 * {@code spark-submit --class io.metagrad.spark.tune.TuneJob}.
 */
public final class TuneOptions {

    @Option(names = "--train", required = true, description = "Features table the model trains on.")
    String train;

    @Option(names = "--validation", required = true, description = "Features table whose loss after training is minimized.")
    String validation;

    @Option(names = "--test", required = true, description = "Features table that is only scored.")
    String test;

    @Option(names = "--output", required = true, description = "Run directory; an existing MGD run there is resumed.")
    String output;

    @Option(names = "--method", defaultValue = "mgd", description = "mgd, grid or random (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--knots", defaultValue = "0",
            description = "MGD tunes a piecewise-linear schedule of K knots; 0 = one rate per training step (default: ${DEFAULT-VALUE}).")
    int knots;

    @Option(names = "--lr-range", split = ",", defaultValue = "0.001,1",
            description = "LO,HI: MGD's box for every rate, and the baselines' range of peak rates (default: ${DEFAULT-VALUE}).")
    double[] lrRange;

    @Option(names = "--tune-weight-decay", description = "MGD also tunes the weight decay, starting at --weight-decay (> 0).")
    boolean tuneWeightDecay;

    @Option(names = "--weight-decay-range", split = ",", defaultValue = "0.000001,0.1",
            description = "LO,HI box of the tuned weight decay (default: ${DEFAULT-VALUE}).")
    double[] wdRange;

    @Option(names = "--replicas", defaultValue = "1",
            description = "Metagradient replicas per MGD step, training seeds base … base+R−1 (default: ${DEFAULT-VALUE}).")
    int replicas;

    @Option(names = "--replay-k", defaultValue = "0", description = "REPLAY branching factor (default: ⌈√T⌉).")
    int replayK;

    @Option(names = "--grid-peaks", split = ",",
            description = "The grid's peak rates (default: 8 values log-spaced over --lr-range).")
    double[] peaks = new double[0];

    @Option(names = "--grid-warmups", split = ",", defaultValue = "0,0.05,0.1,0.2",
            description = "The grid's warmup lengths as shares of the run (default: ${DEFAULT-VALUE}).")
    double[] warmups;

    @Option(names = "--grid-finals", split = ",", defaultValue = "0,0.01,0.1,0.3",
            description = "The grid's final rates as shares of the peak, for cosine and linear decay (default: ${DEFAULT-VALUE}).")
    double[] finals;

    @Option(names = "--trials", defaultValue = "20", description = "random: schedules drawn (default: ${DEFAULT-VALUE}).")
    int trials;

    @Option(names = "--seed", defaultValue = "0", description = "random: the draws' seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--eval-seeds", defaultValue = "3",
            description = "Retrainings of the chosen schedule, seeds base+1000 … (default: ${DEFAULT-VALUE}).")
    int evalSeeds;

    @Option(names = "--overwrite", description = "Delete an existing output first (an MGD run is otherwise resumed).")
    boolean overwrite;

    @Option(names = "--conf", description = "key=value: Spark settings.")
    Map<String, String> conf = new LinkedHashMap<>();

    @Mixin
    ModelFlags model = new ModelFlags();

    @Mixin
    DescentFlags descent = new DescentFlags(50, 0.1);

    /** The validated parameters. */
    public TuneParams toParams() {
        return TuneParams.builder(train, validation, test, output)
                .method(TuneMethod.parse(method))
                .knots(knots)
                .lrRange(pair(lrRange, "--lr-range")[0], pair(lrRange, "--lr-range")[1])
                .tuneWeightDecay(tuneWeightDecay)
                .weightDecayRange(pair(wdRange, "--weight-decay-range")[0], pair(wdRange, "--weight-decay-range")[1])
                .training(model.training())
                .knobs(model.knobs())
                .classes(model.classes())
                .descent(descent.toSettings())
                .replicas(replicas)
                .replayK(replayK)
                .grid(peaks, warmups, finals)
                .trials(trials)
                .seed(seed)
                .evalSeeds(evalSeeds)
                .overwrite(overwrite)
                .build();
    }

    private static double[] pair(double[] v, String option) {
        if (v == null || v.length != 2) {
            throw new IllegalArgumentException("tune-lr " + option + " needs LO,HI");
        }
        return v;
    }

    public Map<String, String> conf() {
        return Map.copyOf(conf);
    }
}
