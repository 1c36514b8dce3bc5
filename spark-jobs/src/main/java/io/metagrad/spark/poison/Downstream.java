package io.metagrad.spark.poison;

import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.meta.Metaparameter;
import io.metagrad.core.mgd.Evaluation;
import io.metagrad.core.mgd.MetagradientProblem;
import io.metagrad.core.mgd.Metagradients;
import io.metagrad.core.output.OutputFunction;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * The audit's measurement: the model trained on the clean and on the poisoned training rows with
 * {@code E} evaluation seeds ({@code base + 1000 + e}, apart from every replica's), one Spark task
 * per (data set, seed), scored on the test and validation rows.
 */
final class Downstream {

    /** One trained model's scores. */
    record Scores(double testAccuracy, double testLoss, double validationLoss) implements Serializable {}

    /** Per seed, clean first then poisoned. */
    record Outcome(List<Scores> clean, List<Scores> poisoned, double seconds) {}

    private Downstream() {}

    static Outcome run(JavaSparkContext jsc, Broadcast<PoisonData> data, Poison poison, int seeds) {
        long start = System.nanoTime();
        double[] features = poison.features();
        double[] labels = poison.labels();
        List<Tuple2<Integer, Integer>> jobs = new ArrayList<>();
        for (int variant = 0; variant < 2; variant++) {
            for (int e = 0; e < seeds; e++) {
                jobs.add(new Tuple2<>(variant, e));
            }
        }
        jsc.setJobDescription("poison: " + jobs.size() + " downstream trainings (clean and poisoned, " + seeds + " seeds)");
        List<Tuple2<Tuple2<Integer, Integer>, Scores>> results = new ArrayList<>(jsc.parallelize(jobs, jobs.size())
                .map(j -> new Tuple2<>(j, train(data.value(), j._1() == 1 ? features : null, labels, j._2())))
                .collect());
        jsc.setJobDescription(null);
        results.sort(Comparator.comparing((Tuple2<Tuple2<Integer, Integer>, Scores> t) -> t._1()._1())
                .thenComparing(t -> t._1()._2()));
        List<Scores> clean = new ArrayList<>();
        List<Scores> poisoned = new ArrayList<>();
        for (Tuple2<Tuple2<Integer, Integer>, Scores> r : results) {
            (r._1()._1() == 0 ? clean : poisoned).add(r._2());
        }
        return new Outcome(clean, poisoned, (System.nanoTime() - start) / 1e9);
    }

    /** Trains with evaluation seed {@code e} on the clean rows ({@code features == null}) or on the poison. */
    static Scores train(PoisonData d, double[] features, double[] labels, int e) {
        TrainingData trainOn = features == null ? d.trainData() : d.poisoned(features, labels);
        TrainConfig config = d.config(PoisonParams.EVAL_SEED_OFFSET + e);
        List<double[]> params = Metagradients.train(new MetagradientProblem(config, trainOn,
                Metaparameter.DataWeights.ones(trainOn.size()), OutputFunction.meanLoss(trainOn)));
        return new Scores(Evaluation.accuracy(config, params, d.testData()), Evaluation.meanLoss(config, params, d.testData()),
                Evaluation.meanLoss(config, params, d.validationData()));
    }
}
