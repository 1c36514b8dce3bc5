package io.metagrad.spark.prepare;

import io.metagrad.spark.JobMain;
import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.featurize.FeaturizeResult;
import io.metagrad.spark.featurize.FeaturizeSplit;
import io.metagrad.spark.featurize.FeaturizeSplits;
import io.metagrad.spark.ingest.IngestJob;
import io.metagrad.spark.ingest.IngestResult;
import io.metagrad.spark.ingest.OnBad;
import io.metagrad.spark.io.AtomicOutput;
import io.metagrad.spark.io.OutputGuard;
import io.metagrad.spark.io.TableManifest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * {@code mgd prepare}: raw splits → pool tables → features tables in one Spark session and one commit. It is
 * {@code ingest --split} into {@code DIR/pool} followed by {@code featurize --split} of those tables into
 * {@code DIR/features}, the same code on the same settings, so the tables are the ones the two commands write; only
 * the Spark launch between them is saved. Both write inside one staged {@code DIR}, committed once at the end: a bad
 * row, a failing split or a kill at any moment leaves no {@code DIR} at all.
 *
 * <p>Run as {@code mgd prepare …} or {@code spark-submit --class io.metagrad.spark.prepare.PrepareJob app.jar …}.
 */
public final class PrepareJob {

    /** Schema id of the directory {@code prepare} writes. */
    public static final String SCHEMA = "prepare/v1";

    private PrepareJob() {}

    public static void main(String[] args) {
        JobMain.run("prepare", args, new PrepareOptions(),
                o -> System.out.println(run(SparkSessions.getOrCreate("mgd prepare"), o.toParams()).summary()));
    }

    /** Runs ingest and featurize; throws {@link IllegalArgumentException} for bad input (naming split, file, row, field). */
    public static PrepareResult run(SparkSession spark, PrepareParams p) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        // the output holds both stages: it must lie apart from every raw input, checked before any work
        OutputGuard.requireApart("prepare", List.of(new OutputGuard.Named("--output", p.output())), IngestJob.readPaths(spark, p.ingest()),
                hadoop);
        AtomicOutput out = AtomicOutput.to(p.output(), hadoop, p.overwrite());
        try {
            // the staged directory spelled as the output was (not qualified), so that the paths the manifests and the
            // featurizer params record, once committed, are the ones ingest and featurize given these paths record
            String staged = new Path(new Path(p.output()).getParent(), new Path(out.stagingPath()).getName()).toString();
            String pools = new Path(staged, PrepareParams.POOL).toString();
            IngestResult ingested = IngestJob.run(spark, p.ingest().writingTo(pools));
            List<FeaturizeSplit> splits = p.splits().stream().map(name -> new FeaturizeSplit(name, new Path(pools, name).toString()))
                    .toList();
            List<FeaturizeResult> featurized = FeaturizeSplits.run(spark,
                    p.featurize().withPaths(splits.get(0).input(), new Path(staged, PrepareParams.FEATURES).toString()), splits,
                    p.targetSplits());
            Map<String, Long> rows = new LinkedHashMap<>();
            p.splits().forEach(name -> rows.put(name, ingested.split(name).rows()));
            TableManifest.of("prepare", SCHEMA).params(p).inputs(p.ingest().allInputs()).put("splits", rows)
                    .put("pool", p.ingest().output()).put("features", p.featurize().output())
                    .put("quarantine", p.ingest().onBad() == OnBad.QUARANTINE ? p.ingest().quarantine() : null)
                    .put("target_splits", List.copyOf(p.targetSplits())).writeTo(staged, hadoop);
            out.commit();
            return new PrepareResult(p.output(), ingested, featurized);
        } catch (Exception e) { // also SparkException, a checked exception Scala throws unchecked
            out.abort();
            throw e;
        }
    }
}
