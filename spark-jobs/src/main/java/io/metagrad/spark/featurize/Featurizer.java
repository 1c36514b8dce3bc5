package io.metagrad.spark.featurize;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Turns pool rows into feature vectors. The job checks {@link #missingInput()} on every row
 * before calling {@link #apply}, so implementations can count on their input being there.
 */
interface Featurizer {

    /** True on a pool row that lacks this featurizer's input. */
    Column missingInput();

    /** What the input is, for messages: e.g. "text". */
    String input();

    /**
     * Adds a {@code features} column ({@code array<float>}) to the pool rows (which carry
     * {@code _file} and {@code _row} for messages).
     *
     * @param reference the fitted state to reuse, or null to fit on {@code pool}
     */
    Featurized apply(Dataset<Row> pool, FittedReference reference);

    /** Saves fitted state beside the output (in {@code dir/_featurizer}), if any; default none. */
    default void saveState(String dir) {}
}
