package io.metagrad.spark.tune;

import io.metagrad.core.mgd.MetagradientProblem;
import io.metagrad.core.mgd.MetagradientResult;
import io.metagrad.core.mgd.Metagradients;
import io.metagrad.core.replay.ReplayPlan;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

/**
 * One replica's metagradient of the validation loss with respect to every step's learning rate (and
 * the weight decay), at one schedule, in a Spark task; seed {@code base + replica}.
 */
final class TuneReplica implements FlatMapFunction<Iterator<Integer>, TuneReplica.Result> {

    private static final long serialVersionUID = 1L;

    /** @param decayGradient ∂φ/∂λ (0 when the decay is not tuned) */
    record Result(int replica, double validationLoss, double[] rateGradient, double decayGradient, double seconds)
            implements Serializable {}

    private final Broadcast<TuneData> data;
    private final double[] rates;
    private final Double lambda;
    private final int replayK;

    TuneReplica(Broadcast<TuneData> data, double[] rates, Double lambda, int replayK) {
        this.data = data;
        this.rates = rates.clone();
        this.lambda = lambda;
        this.replayK = replayK;
    }

    @Override
    public Iterator<Result> call(Iterator<Integer> replicas) {
        List<Result> out = new ArrayList<>();
        while (replicas.hasNext()) {
            out.add(run(data.value(), replicas.next()));
        }
        return out.iterator();
    }

    Result run(TuneData d, int replica) {
        long start = System.nanoTime();
        MetagradientProblem p = d.problem(rates, lambda, replica);
        int k = replayK > 0 ? replayK : ReplayPlan.sqrtK(p.config().steps());
        MetagradientResult r = Metagradients.compute(p, Math.max(2, k));
        double[] g = r.gradient();
        int steps = rates.length;
        return new Result(replica, r.value(), Arrays.copyOfRange(g, 0, steps), lambda == null ? 0 : g[steps],
                (System.nanoTime() - start) / 1e9);
    }
}
