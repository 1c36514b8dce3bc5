package io.metagrad.spark.select;

import io.metagrad.spark.train.RunSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Runs the replicas of one MGD step as one Spark stage with one task per replica. Tasks stream their
 * training data from a layout and write metagradients as Parquet parts; what comes back to the
 * driver is a few numbers per replica, combined in replica order (never arrival order), so a step
 * gives bitwise the same result however tasks are scheduled. Only the small target parts are
 * broadcast.
 */
final class ReplicaStage implements AutoCloseable {

    /** The replicas' metagradient tasks: their mean target loss, and rows written. */
    record Metagradient(double targetLoss, long contributions, double seconds, List<ReplicaTask.Result> replicas) {
        long bytesRead() {
            return replicas.stream().mapToLong(ReplicaTask.Result::bytesRead).sum();
        }
    }

    /** Replica-mean losses of the models trained at some counts, and the layout bytes read. */
    record Score(double targetLoss, double heldoutLoss, double heldoutAccuracy, long bytesRead, double seconds) {}

    private final JavaSparkContext jsc;
    private final Broadcast<SelectionData> data;
    private final Broadcast<SerializableConfiguration> hadoop;
    private final RunSpec spec;
    private final int replicas;
    private final int replayK;
    private final DevicePlacement placement;

    ReplicaStage(SparkSession spark, SelectionData data, RunSpec spec, int replicas, int replayK, DevicePlacement placement) {
        this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        this.data = jsc.broadcast(data);
        this.hadoop = jsc.broadcast(new SerializableConfiguration(spark.sparkContext().hadoopConfiguration()));
        this.spec = spec;
        this.replicas = replicas;
        this.replayK = replayK;
        this.placement = placement;
    }

    /** Every replica's metagradient of the target loss, written under {@code work.gradientsDir()}. */
    Metagradient metagradient(ReplicaTask.Work work, String description) {
        long start = System.nanoTime();
        List<ReplicaTask.Result> results = run(work, ReplicaTask.Mode.METAGRADIENT, description);
        double loss = 0;
        long rows = 0;
        for (ReplicaTask.Result r : results) {
            loss += r.targetLoss();
            rows += r.contributions();
        }
        return new Metagradient(loss / results.size(), rows, seconds(start), results);
    }

    /** Trains every replica on {@code work}'s items and averages their target and held-out losses. */
    Score score(ReplicaTask.Work work, String description) {
        long start = System.nanoTime();
        List<ReplicaTask.Result> results = run(work, ReplicaTask.Mode.SCORE, description);
        double target = 0;
        double heldout = 0;
        double accuracy = 0;
        long read = 0;
        for (ReplicaTask.Result r : results) {
            read += r.bytesRead();
            target += r.targetLoss();
            heldout += r.heldoutLoss();
            accuracy += r.heldoutAccuracy();
        }
        int k = results.size();
        return new Score(target / k, heldout / k, accuracy / k, read, seconds(start));
    }

    private List<ReplicaTask.Result> run(ReplicaTask.Work work, ReplicaTask.Mode mode, String description) {
        jsc.setJobDescription(description);
        List<Integer> ids = IntStream.range(0, replicas).boxed().toList();
        JavaRDD<Integer> rdd = jsc.parallelize(ids, replicas);
        JavaRDD<Integer> placed = placement.profile().map(rdd::withResources).orElse(rdd);
        ReplicaTask task = new ReplicaTask(data, hadoop, spec, work, replayK, mode, placement);
        List<ReplicaTask.Result> results = new ArrayList<>(placed.mapPartitions(task).collect());
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
        hadoop.destroy();
    }
}
