package io.metagrad.spark.poison;

import io.metagrad.spark.descent.DescentObjective;
import io.metagrad.spark.descent.Point;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * MGD-DP's objective: the mean validation loss of models trained on the poisoned rows (maximized),
 * its metagradient with respect to the rows' features and/or soft labels, one Spark task per
 * replica, combined in replica order so that a step gives the same bits however tasks are scheduled.
 * Feasible poisons: features in the {@link InputConstraint}, soft labels on the simplex.
 */
final class PoisonObjective implements DescentObjective {

    private final JavaSparkContext jsc;
    private final Broadcast<PoisonData> data;
    private final int replicas;
    private final int replayK;
    private final InputConstraint constraint;
    private final double[] original;
    private final int rows;
    private final int width;
    private final int classes;
    private final boolean features;
    private final boolean labels;

    PoisonObjective(JavaSparkContext jsc, Broadcast<PoisonData> data, int replicas, int replayK, InputConstraint constraint) {
        this.jsc = jsc;
        this.data = data;
        this.replicas = replicas;
        this.replayK = replayK;
        this.constraint = constraint;
        PoisonData d = data.value();
        this.rows = d.rows().length;
        this.width = d.train().width();
        this.classes = d.classes();
        this.features = d.optimizesFeatures();
        this.labels = d.optimizesLabels();
        this.original = d.optimizesFeatures() ? d.trainData().featureRows(d.rows()) : new double[0];
    }

    @Override
    public Point at(double[] z, int step) {
        long start = System.nanoTime();
        jsc.setJobDescription("poison step " + step + ": " + replicas + " metagradient replica(s)");
        List<PoisonReplica.Result> results = new java.util.ArrayList<>(jsc.parallelize(
                IntStream.range(0, replicas).boxed().toList(), replicas).mapPartitions(new PoisonReplica(data, z, replayK)).collect());
        jsc.setJobDescription(null);
        results.sort(Comparator.comparingInt(PoisonReplica.Result::replica));
        if (results.size() != replicas) {
            throw new IllegalStateException("expected " + replicas + " replica results, got " + results.size());
        }
        double[] gradient = new double[z.length];
        double loss = 0;
        double validationAccuracy = 0;
        double testAccuracy = 0;
        for (PoisonReplica.Result r : results) {
            for (int i = 0; i < gradient.length; i++) {
                gradient[i] += r.gradient()[i];
            }
            loss += r.validationLoss();
            validationAccuracy += r.validationAccuracy();
            testAccuracy += r.testAccuracy();
        }
        for (int i = 0; i < gradient.length; i++) {
            gradient[i] /= replicas;
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("validation_accuracy", validationAccuracy / replicas);
        metrics.put("test_accuracy", testAccuracy / replicas);
        return new Point(loss / replicas, gradient, metrics, (System.nanoTime() - start) / 1e9);
    }

    @Override
    public boolean maximizes() {
        return true;
    }

    @Override
    public String valueName() {
        return "validation loss";
    }

    @Override
    public void project(double[] z) {
        int labelStart = features ? rows * width : 0;
        for (int r = 0; r < rows && features; r++) {
            constraint.project(z, r * width, original, r * width, width);
        }
        for (int r = 0; r < rows && labels; r++) {
            Simplex.project(z, labelStart + r * classes, classes);
        }
    }

    @Override
    public String knobs() {
        return "--lr, --step-size or --train-steps (or add --grad-clip)";
    }
}
