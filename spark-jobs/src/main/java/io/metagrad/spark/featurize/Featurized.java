package io.metagrad.spark.featurize;

import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A featurizer's result.
 *
 * @param rows    the pool rows with a {@code features} column
 * @param name    the {@code featurizer} value, e.g. {@code pixels+projection}
 * @param version the {@code featurizer_version} value
 * @param params  the {@code featurizer_params} (fitted values included)
 */
record Featurized(Dataset<Row> rows, String name, String version, Map<String, Object> params) {}
