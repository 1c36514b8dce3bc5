package io.metagrad.spark.select;

import io.metagrad.spark.train.TrainingOptions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * Runs the replicas of one MGD step as one Spark stage with one task per replica, and combines
 * their results on the driver deterministically: sums in replica order, never in arrival order, so
 * that a step gives bitwise the same result however tasks are scheduled.
 *
 * <p>The pool and the target set are broadcast once per run. Each task sends back its replica's
 * metagradient as one vector in pool (uid) order — the {@code (uid, metagrad)} pairs of the step
 * table, with the uid implied by position — rather than one row per uid.
 */
final class ReplicaStage implements AutoCloseable {

    /** Replica-mean metagradient at some counts, and the mean target loss there. */
    record Metagradient(double[] mean, double targetLoss, double seconds, List<ReplicaTask.Result> replicas) {}

    /** Replica-mean losses of the models trained at some counts. */
    record Score(double targetLoss, double heldoutLoss, double heldoutAccuracy, double seconds) {}

    private final JavaSparkContext jsc;
    private final Broadcast<SelectionData> data;
    private final TrainingOptions training;
    private final int replicas;
    private final int replayK;
    private final DevicePlacement placement;
    private final boolean keptOnly;

    /** @param keptOnly train on the items with count &gt; 0 only ({@link UpdateRule#PRUNE}) instead of the weighted pool */
    ReplicaStage(SparkSession spark, SelectionData data, TrainingOptions training, int replicas, int replayK,
            DevicePlacement placement, boolean keptOnly) {
        this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        this.data = jsc.broadcast(data);
        this.training = training;
        this.replicas = replicas;
        this.replayK = replayK;
        this.placement = placement;
        this.keptOnly = keptOnly;
    }

    /** The replica-mean metagradient of the target loss at {@code counts}. */
    Metagradient metagradient(int[] counts, String description) {
        long start = System.nanoTime();
        List<ReplicaTask.Result> results = run(counts, ReplicaTask.Mode.METAGRADIENT, description);
        int n = counts.length;
        double[] mean = new double[n];
        double loss = 0;
        for (ReplicaTask.Result r : results) {
            double[] g = r.metagradient();
            if (g.length != n) {
                throw new IllegalStateException("replica " + r.replica() + " returned " + g.length + " values for " + n + " rows");
            }
            for (int i = 0; i < n; i++) {
                mean[i] += g[i];
            }
            loss += r.targetLoss();
        }
        for (int i = 0; i < n; i++) {
            mean[i] /= results.size();
        }
        return new Metagradient(mean, loss / results.size(), seconds(start), results);
    }

    /** Trains every replica at {@code counts} and averages their target and held-out losses. */
    Score score(int[] counts, String description) {
        long start = System.nanoTime();
        List<ReplicaTask.Result> results = run(counts, ReplicaTask.Mode.SCORE, description);
        double target = 0;
        double heldout = 0;
        double accuracy = 0;
        for (ReplicaTask.Result r : results) {
            target += r.targetLoss();
            heldout += r.heldoutLoss();
            accuracy += r.heldoutAccuracy();
        }
        int k = results.size();
        return new Score(target / k, heldout / k, accuracy / k, seconds(start));
    }

    private List<ReplicaTask.Result> run(int[] counts, ReplicaTask.Mode mode, String description) {
        jsc.setJobDescription(description);
        List<Integer> ids = IntStream.range(0, replicas).boxed().toList();
        JavaRDD<Integer> rdd = jsc.parallelize(ids, replicas);
        JavaRDD<Integer> placed = placement.profile().map(rdd::withResources).orElse(rdd);
        ReplicaTask task = new ReplicaTask(data, training, counts, replayK, mode, placement, keptOnly);
        List<ReplicaTask.Result> results = new java.util.ArrayList<>(placed.mapPartitions(task).collect());
        results.sort(Comparator.comparingInt(ReplicaTask.Result::replica));
        if (results.size() != replicas) {
            throw new IllegalStateException("expected " + replicas + " replica results, got " + results.size());
        }
        jsc.setJobDescription(null);
        return results;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    @Override
    public void close() {
        data.destroy();
    }
}
