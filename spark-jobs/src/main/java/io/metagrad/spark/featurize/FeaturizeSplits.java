package io.metagrad.spark.featurize;

import io.metagrad.spark.io.AtomicOutput;
import io.metagrad.spark.io.Inputs;
import io.metagrad.spark.io.OutputGuard;
import io.metagrad.spark.io.TableManifest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * {@code featurize --split pool=… --split target=… --output DIR}: several pool tables featurized in one Spark session
 * into {@code DIR/NAME} each, the featurizer fitted once, on the first split (IDF weights, pixel mean/std, the
 * projection), and applied to the others as {@code --fitted-from} would. All tables are committed together: a kill
 * or a bad split leaves no {@code DIR} at all, and a rerun starts over.
 */
public final class FeaturizeSplits {

    /** Schema id of the directory that holds the split tables. */
    public static final String SCHEMA = "featurize-splits/v1";

    private FeaturizeSplits() {}

    /**
     * @param settings the featurizer settings, with the first split's input and the directory of all splits as output
     * @param targets  the splits written as target sets (targets/v1), e.g. {@code target}
     */
    public static List<FeaturizeResult> run(SparkSession spark, FeaturizeParams settings, List<FeaturizeSplit> splits, Set<String> targets) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        requireNames(splits, targets);
        Map<String, String> read = new LinkedHashMap<>();
        for (FeaturizeSplit split : splits) {
            Inputs.requireTable(split.input(), "featurize --split " + split.name(), hadoop);
            read.put("--split " + split.name(), split.input());
        }
        read.put("--fitted-from", settings.fittedFrom());
        OutputGuard.requireApart("featurize", Map.of("--output", settings.output()), read, hadoop);
        AtomicOutput out = AtomicOutput.to(settings.output(), hadoop, settings.overwrite());
        try {
            List<FeaturizeResult> results = new ArrayList<>();
            Map<String, Long> rows = new LinkedHashMap<>();
            String fitted = settings.fittedFrom();
            for (FeaturizeSplit split : splits) {
                String table = new Path(out.stagingPath(), split.name()).toString();
                results.add(FeaturizeJob.run(spark, settings.forSplit(split.input(), table, fitted, targets.contains(split.name()))));
                rows.put(split.name(), results.get(results.size() - 1).rows());
                fitted = fitted == null ? table : fitted; // the first split's fit serves every later one
            }
            // paths as committed: the pool tables may lie in a staged output themselves (mgd prepare)
            TableManifest.of("featurize", SCHEMA).params(settings.committed()).inputs(read.values().stream()
                            .filter(java.util.Objects::nonNull).map(AtomicOutput::committedPath).toList())
                    .put("splits", rows).put("fitted_on", settings.fittedFrom() == null ? splits.get(0).name() : settings.fittedFrom())
                    .put("target_splits", splits.stream().map(FeaturizeSplit::name).filter(targets::contains).toList())
                    .writeTo(out.stagingPath(), hadoop);
            out.commit();
            return results;
        } catch (RuntimeException e) {
            out.abort();
            throw e;
        }
    }

    private static void requireNames(List<FeaturizeSplit> splits, Set<String> targets) {
        if (splits.isEmpty()) {
            throw new IllegalArgumentException("featurize needs --input (one pool table) or --split NAME=DIR");
        }
        Set<String> names = new HashSet<>();
        for (FeaturizeSplit s : splits) {
            if (!names.add(s.name())) {
                throw new IllegalArgumentException("featurize --split " + s.name() + " is given twice");
            }
        }
        for (String t : targets) {
            if (!names.contains(t)) {
                throw new IllegalArgumentException("featurize --target-split " + t + " names no --split (splits: "
                        + String.join(", ", names) + ")");
            }
        }
    }
}
