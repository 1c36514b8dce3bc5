package io.metagrad.spark.featurize;

/**
 * One {@code featurize --split NAME=DIR}: a pool table that one featurize turns into {@code <output>/NAME}, beside
 * the other splits, in the feature space fitted on the first.
 *
 * @param name  the features table's name under the output ({@code pool}, {@code target}, {@code test}, …)
 * @param input the pool table to read
 */
public record FeaturizeSplit(String name, String input) {

    public FeaturizeSplit {
        if (name == null || !name.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("featurize --split: the name '" + name + "' must match [A-Za-z0-9_-]+ (it names a table)");
        }
        if (input == null || input.isBlank()) {
            throw new IllegalArgumentException("featurize --split " + name + " needs a pool table (NAME=DIR)");
        }
        input = input.strip();
    }

    /** Parses {@code NAME=DIR}. */
    public static FeaturizeSplit parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq < 0) {
            throw new IllegalArgumentException("featurize --split '" + spec + "' is invalid; use NAME=DIR, e.g. pool=tables/pool");
        }
        return new FeaturizeSplit(spec.substring(0, eq).strip(), spec.substring(eq + 1));
    }
}
