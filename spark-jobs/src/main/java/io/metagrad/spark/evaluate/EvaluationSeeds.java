package io.metagrad.spark.evaluate;

import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.stream.IntStream;

/**
 * Which training seeds {@code evaluate} gives to whom, as offsets of {@code --seed}'s training seed
 * ({@link io.metagrad.spark.train.RunSpec#config(int, long)}). The methods train with offsets
 * {@code 0 … m-1}: MGD's replicas (which also score its held-out iterates) {@code 0 … replicas-1},
 * the baselines' reference models {@code 0}. The downstream trainings that score every selection
 * take the offsets after them, so no downstream run is a run a method optimized through or chose
 * with — disjoint by construction.
 *
 * @param methods the offsets any method trains with
 * @param downstream the offsets of the downstream seeds, one per {@code --seeds}
 */
public record EvaluationSeeds(List<Integer> methods, List<Integer> downstream) {

    /** The seeds of an evaluation with {@code seeds} downstream seeds whose MGD methods run {@code replicas} replicas. */
    public static EvaluationSeeds of(int replicas, int seeds) {
        int used = Math.max(1, replicas);
        return new EvaluationSeeds(IntStream.range(0, used).boxed().toList(),
                IntStream.range(used, used + seeds).boxed().toList());
    }

    /** The seeds as training seeds of a run whose base seed is {@code base}, for the report. */
    Map<String, Object> describe(long base) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method_training_seeds", methods.stream().map(o -> base + o).toList());
        m.put("downstream_training_seeds", downstream.stream().map(o -> base + o).toList());
        return m;
    }
}
