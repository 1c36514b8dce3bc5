package io.metagrad.spark.poison;

import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.mgd.Evaluation;
import io.metagrad.core.mgd.MetagradientProblem;
import io.metagrad.core.mgd.MetagradientResult;
import io.metagrad.core.mgd.Metagradients;
import io.metagrad.core.replay.ReplayPlan;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

/**
 * One replica's work at a poison {@code z}, in a Spark task: train with seed {@code base + replica}
 * on the poisoned training rows, differentiate the mean validation loss through the whole run with
 * respect to {@code z}, and score a model trained on the same data on the validation and test rows.
 */
final class PoisonReplica implements FlatMapFunction<Iterator<Integer>, PoisonReplica.Result> {

    private static final long serialVersionUID = 1L;

    /**
     * @param gradient d(validation loss)/dz
     * @param seconds wall time of the task's work
     */
    record Result(int replica, double validationLoss, double[] gradient, double validationAccuracy, double testAccuracy,
            double seconds) implements Serializable {}

    private final Broadcast<PoisonData> data;
    private final double[] z;
    private final int replayK;

    PoisonReplica(Broadcast<PoisonData> data, double[] z, int replayK) {
        this.data = data;
        this.z = z.clone();
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

    Result run(PoisonData d, int replica) {
        long start = System.nanoTime();
        TrainConfig config = d.config(replica);
        MetagradientProblem problem = new MetagradientProblem(config, d.trainData(), d.poison(z), d.validationLoss());
        int k = replayK > 0 ? replayK : ReplayPlan.sqrtK(config.steps());
        MetagradientResult r = Metagradients.compute(problem, Math.max(2, k));
        List<double[]> params = Metagradients.train(problem);
        return new Result(replica, r.value(), r.gradient(), Evaluation.accuracy(config, params, d.validationData()),
                Evaluation.accuracy(config, params, d.testData()), (System.nanoTime() - start) / 1e9);
    }
}
