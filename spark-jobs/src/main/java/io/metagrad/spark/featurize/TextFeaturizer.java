package io.metagrad.spark.featurize;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.Column;

/** A featurizer of the pool's {@code text} column: rows without text cannot be featurized. */
interface TextFeaturizer extends Featurizer {

    @Override
    default Column missingInput() {
        return col("text").isNull();
    }

    @Override
    default String input() {
        return "text";
    }
}
