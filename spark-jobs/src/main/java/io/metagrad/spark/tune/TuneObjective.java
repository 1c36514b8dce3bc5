package io.metagrad.spark.tune;

import io.metagrad.spark.descent.DescentObjective;
import io.metagrad.spark.descent.Point;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * tune-lr's objective: the replica-mean validation loss after training with the schedule (and weight
 * decay) at {@code z} (minimized), and its metagradient with respect to {@code z} by the chain rule
 * through the knots and the log ({@link TuneSpace}); one Spark task per replica, summed in replica order.
 */
final class TuneObjective implements DescentObjective {

    private final JavaSparkContext jsc;
    private final Broadcast<TuneData> data;
    private final TuneSpace space;
    private final int replicas;
    private final int replayK;

    TuneObjective(JavaSparkContext jsc, Broadcast<TuneData> data, TuneSpace space, int replicas, int replayK) {
        this.jsc = jsc;
        this.data = data;
        this.space = space;
        this.replicas = replicas;
        this.replayK = replayK;
    }

    @Override
    public Point at(double[] z, int step) {
        long start = System.nanoTime();
        double[] rates = space.rates(z);
        Double lambda = space.tunesWeightDecay() ? space.weightDecay(z) : null;
        jsc.setJobDescription("tune-lr step " + step + ": " + replicas + " metagradient replica(s)");
        List<TuneReplica.Result> results = new ArrayList<>(jsc.parallelize(IntStream.range(0, replicas).boxed().toList(), replicas)
                .mapPartitions(new TuneReplica(data, rates, lambda, replayK)).collect());
        jsc.setJobDescription(null);
        results.sort(Comparator.comparingInt(TuneReplica.Result::replica));
        if (results.size() != replicas) {
            throw new IllegalStateException("expected " + replicas + " replica results, got " + results.size());
        }
        double[] rateGradient = new double[rates.length];
        double decayGradient = 0;
        double loss = 0;
        double taskSeconds = 0;
        for (TuneReplica.Result r : results) {
            for (int t = 0; t < rates.length; t++) {
                rateGradient[t] += r.rateGradient()[t] / replicas;
            }
            decayGradient += r.decayGradient() / replicas;
            loss += r.validationLoss();
            taskSeconds += r.seconds();
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("task_seconds", taskSeconds);
        if (lambda != null) {
            metrics.put("weight_decay", lambda);
        }
        return new Point(loss / replicas, space.chain(z, rateGradient, decayGradient), metrics, (System.nanoTime() - start) / 1e9);
    }

    @Override
    public boolean maximizes() {
        return false;
    }

    @Override
    public String valueName() {
        return "validation loss";
    }

    @Override
    public void project(double[] z) {
        space.project(z);
    }

    @Override
    public String knobs() {
        return "--step-size or the upper end of --lr-range";
    }
}
