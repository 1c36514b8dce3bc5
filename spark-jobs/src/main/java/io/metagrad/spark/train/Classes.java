package io.metagrad.spark.train;

import java.util.Arrays;

/**
 * The one rule for how many classes a labelled run has, used by every job (select, evaluate,
 * attribute, validate): the number given, or one more than the largest label of the tables the run
 * reads (at least 2). A job infers it once and hands the number on to whatever it runs inside, so
 * the methods it compares never disagree.
 */
public final class Classes {

    private Classes() {}

    /**
     * @param given {@code --classes}, or 0 to infer
     * @param maxLabels the largest label of each table read (-1 for a table without labels)
     */
    public static int of(int given, int... maxLabels) {
        if (given > 0) {
            return given;
        }
        return Math.max(2, Arrays.stream(maxLabels).max().orElse(-1) + 1);
    }
}
