package io.metagrad.spark.select;

import org.apache.spark.sql.SparkSession;

/**
 * The one dispatch of {@code select --method}: MGD ({@link SelectJob}), a DataComp filter
 * ({@link FilterSelectJob}) or a scoring baseline ({@link BaselineSelectJob}). The command and the
 * Spark ML {@code MgdSelector} both call it, so a method selects the same items from either.
 */
public final class SelectMethods {

    private SelectMethods() {}

    /**
     * Runs {@code method}. For {@link Method#MGD_PRUNE} the caller sets {@code params.update()} to prune (the
     * command's {@code --method mgd-prune} is {@code --update prune}).
     */
    public static SelectJob.Result run(SparkSession spark, Method method, SelectParams params, FilterParams filters) {
        if (method == Method.ALL_DATA) {
            throw new IllegalArgumentException("select --method all-data is no selection method (it is evaluate's reference);"
                    + " DataComp's 'no filtering' is --method none");
        }
        if (method.updateRule().isPresent()) {
            return SelectJob.run(spark, params);
        }
        if (params.initialCounts() != null) {
            throw new IllegalArgumentException("select --method " + method.cliName() + " does not start from counts; --initial-counts"
                    + " (MgdSelector.weightCol) is for --method mgd and mgd-prune");
        }
        return method.isFilter(filters.scoreColumn() != null)
                ? FilterSelectJob.run(spark, params, filters, method)
                : BaselineSelectJob.run(spark, params, method);
    }
}
