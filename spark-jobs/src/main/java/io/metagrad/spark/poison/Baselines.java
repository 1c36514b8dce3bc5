package io.metagrad.spark.poison;

import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.meta.Metaparameter;
import io.metagrad.core.mgd.Evaluation;
import io.metagrad.core.mgd.MetagradientProblem;
import io.metagrad.core.mgd.Metagradients;
import io.metagrad.core.output.OutputFunction;
import io.metagrad.core.poison.GradientCanceling;
import io.metagrad.core.poison.InputGradients;
import io.metagrad.core.poison.ParameterCorruption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * The poisoning baselines, each a deterministic function of the data, the seed and its settings,
 * changing the same rows MGD does. The reference model they attack is the clean training run with
 * the base training seed (the attacker knows the training routine, as MGD does).
 */
final class Baselines {

    private Baselines() {}

    static Poison make(PoisonMethod method, PoisonData d, InputConstraint constraint, PoisonParams p) {
        return switch (method) {
            case RANDOM_FLIP -> randomFlip(d, p.seed());
            case ADVERSARIAL_FLIP -> adversarialFlip(d);
            case GRADIENT_ASCENT -> gradientAscent(d, constraint, p.ascentStep() > 0 ? p.ascentStep() : constraint.span());
            case GRADIENT_CANCELING -> gradientCanceling(d, constraint, p);
            case MGD -> throw new IllegalArgumentException("MGD is not a baseline");
        };
    }

    /** Each row's label replaced by one drawn uniformly from the other classes ({@code Random(seed)}, row order). */
    static Poison randomFlip(PoisonData d, long seed) {
        int[] rows = d.rows();
        int classes = d.classes();
        Random random = new Random(seed ^ 0x5DEECE66DL);
        double[] labels = new double[rows.length * classes];
        for (int r = 0; r < rows.length; r++) {
            int label = d.train().label(rows[r]);
            int other = random.nextInt(classes - 1);
            labels[r * classes + (other >= label ? other + 1 : other)] = 1;
        }
        return new Poison(d.trainData().featureRows(rows), labels, Map.of());
    }

    /** Each row's label replaced by the reference model's most probable wrong class for it. */
    static Poison adversarialFlip(PoisonData d) {
        int[] rows = d.rows();
        int classes = d.classes();
        TrainConfig config = d.config(0);
        TrainingData chosen = d.trainData().subset(rows);
        double[] logits = logits(config, reference(d, config), chosen);
        double[] labels = new double[rows.length * classes];
        for (int r = 0; r < rows.length; r++) {
            int label = d.train().label(rows[r]);
            int best = -1;
            for (int c = 0; c < classes; c++) {
                if (c != label && (best < 0 || logits[r * classes + c] > logits[r * classes + best])) {
                    best = c;
                }
            }
            labels[r * classes + best] = 1;
        }
        return new Poison(chosen.features(), labels, Map.of());
    }

    /**
     * One signed step of size {@code step} up each row's own loss gradient at the reference model
     * (labels unchanged), projected onto the constraint: {@code x' = Π(x + step·sign(∇_x ℓ(θ_clean; x, y)))}.
     */
    static Poison gradientAscent(PoisonData d, InputConstraint constraint, double step) {
        int[] rows = d.rows();
        TrainConfig config = d.config(0);
        TrainingData chosen = d.trainData().subset(rows);
        double[] g = InputGradients.ofLosses(config, reference(d, config), chosen);
        double[] x0 = chosen.features();
        double[] x = x0.clone();
        for (int i = 0; i < x.length; i++) {
            x[i] += step * Math.signum(g[i]);
        }
        project(x, x0, rows.length, chosen.inputDim(), constraint);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("ascent_step", step);
        return new Poison(x, chosen.targets(), details);
    }

    /**
     * Gradient canceling (Lu, Kamath &amp; Yu 2023), as described in the paper: (1) train the clean
     * reference model {@code θ_c}; (2) make a target parameter of lower accuracy by gradient-based
     * parameter corruption — {@code gcCorruptSteps} normalized ascent steps on the clean training
     * loss within {@code ‖θ − θ_c‖ ≤ gcRadius·‖θ_c‖}; (3) starting from the chosen rows (labels kept),
     * take {@code gcSteps} signed descent steps on {@code ½‖∇θ L(clean ∪ poison; θ_p)‖²} with respect to
     * the poisoned features, step size decaying linearly from {@code gcStepSize} to a tenth of it,
     * projecting onto the constraint after each. Training on the result then has {@code θ_p} as a
     * (near) stationary point.
     */
    static Poison gradientCanceling(PoisonData d, InputConstraint constraint, PoisonParams p) {
        int[] rows = d.rows();
        TrainConfig config = d.config(0);
        TrainingData all = d.trainData();
        List<double[]> clean = reference(d, config);
        List<double[]> target = ParameterCorruption.corrupt(config, clean, all, p.gcRadius(), p.gcCorruptSteps());
        int[] poisoned = sorted(rows);
        int[] others = IntStream.range(0, all.size()).filter(i -> Arrays.binarySearch(poisoned, i) < 0).toArray();
        GradientCanceling gc = new GradientCanceling(config, target, all.subset(others), rows.length);
        TrainingData chosen = all.subset(rows);
        double[] x0 = chosen.features();
        double[] x = x0.clone();
        double first = Double.NaN;
        double last = Double.NaN;
        for (int s = 0; s < p.gcSteps(); s++) {
            GradientCanceling.Value v = gc.at(withFeatures(chosen, x));
            first = s == 0 ? v.objective() : first;
            double step = p.gcStepSize() * (1 - 0.9 * s / Math.max(1.0, p.gcSteps() - 1));
            double[] g = v.gradient();
            for (int i = 0; i < x.length; i++) {
                x[i] -= step * Math.signum(g[i]);
            }
            project(x, x0, rows.length, chosen.inputDim(), constraint);
        }
        last = gc.at(withFeatures(chosen, x)).objective();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("target_test_accuracy", Evaluation.accuracy(config, target, d.testData()));
        details.put("clean_reference_test_accuracy", Evaluation.accuracy(config, clean, d.testData()));
        details.put("target_train_loss", Evaluation.meanLoss(config, target, all));
        details.put("canceling_objective_start", first);
        details.put("canceling_objective_end", last);
        return new Poison(x, chosen.targets(), details);
    }

    /** The clean reference model: the configured training on the clean rows with the base seed. */
    private static List<double[]> reference(PoisonData d, TrainConfig config) {
        TrainingData all = d.trainData();
        return Metagradients.train(new MetagradientProblem(config, all, Metaparameter.DataWeights.ones(all.size()),
                OutputFunction.meanLoss(all)));
    }

    /** The model's logits {@code [n × C]}; softmax is monotone, so the largest is the most probable class. */
    private static double[] logits(TrainConfig config, List<double[]> params, TrainingData data) {
        return Evaluation.logits(config, params, data);
    }

    private static TrainingData withFeatures(TrainingData rows, double[] x) {
        return new TrainingData(rows.size(), rows.inputDim(), x, rows.targetDim(), rows.targets());
    }

    private static void project(double[] x, double[] x0, int rows, int width, InputConstraint constraint) {
        for (int r = 0; r < rows; r++) {
            constraint.project(x, r * width, x0, r * width, width);
        }
    }

    private static int[] sorted(int[] rows) {
        int[] s = rows.clone();
        Arrays.sort(s);
        return s;
    }
}
