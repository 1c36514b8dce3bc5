package io.metagrad.spark.featurize;

/**
 * What a featurize wrote.
 *
 * @param output     the features table
 * @param rows       its row count
 * @param dim        feature dimension
 * @param featurizer the {@code featurizer} value
 * @param params     the {@code featurizer_params} JSON
 */
public record FeaturizeResult(String output, long rows, int dim, String featurizer, String params) {

    public String summary() {
        return "featurize: wrote " + rows + " rows of " + dim + "-d " + featurizer + " features to " + output
                + "\nfeaturize: featurizer_params " + params;
    }
}
