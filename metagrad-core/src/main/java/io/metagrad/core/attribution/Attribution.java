package io.metagrad.core.attribution;

import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.meta.Metaparameter;
import io.metagrad.core.mgd.MetagradientProblem;
import io.metagrad.core.mgd.MetagradientResult;
import io.metagrad.core.mgd.Metagradients;
import io.metagrad.core.output.OutputFunction;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Data attribution by exact influence (method.md §4): with every weight at 1, the metagradient
 * {@code τ_qi = ∂φ_q/∂w_i} is the exact first-order effect of example {@code i} on target
 * {@code q}'s loss, through the whole training run. A positive score means up-weighting the example
 * raises the target's loss; removing a set {@code S} (its weights to 0) is predicted to change the
 * loss by {@code −Σ_{i∈S} τ_qi}.
 */
public final class Attribution {

    private Attribution() {}

    /** One exact-influence row per target, all sharing one forward training run. */
    public static MetagradientResult exactInfluence(TrainConfig config, TrainingData train, TrainingData targets, int k) {
        return Metagradients.compute(new MetagradientProblem(
                config, train, Metaparameter.DataWeights.ones(train.size()), OutputFunction.perExampleLosses(targets)), k);
    }

    /** {@code φ(1) − Σ_{i∈removed} τ_i}: the linear prediction of the output after removing examples. */
    public static double predictAfterRemoval(double value, double[] scores, int[] removed) {
        double change = 0;
        for (int i : removed) {
            change -= scores[i];
        }
        return value + change;
    }

    /**
     * The {@code k} examples that most reduce the target's loss (most negative scores), best first;
     * ties broken by index so the order is deterministic.
     */
    public static int[] topHelpful(double[] scores, int k) {
        return IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> scores[i]).thenComparingInt(i -> i))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }

    /** The {@code k} examples that most raise the target's loss (most positive scores), worst first. */
    public static int[] topHarmful(double[] scores, int k) {
        double[] negated = Arrays.stream(scores).map(s -> -s).toArray();
        return topHelpful(negated, k);
    }
}
