package io.metagrad.spark.featurize;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.metagrad.spark.JobMain;
import io.metagrad.spark.Progress;
import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.io.AtomicOutput;
import io.metagrad.spark.io.FeatureTables;
import io.metagrad.spark.io.Inputs;
import io.metagrad.spark.io.Json;
import io.metagrad.spark.io.OutputGuard;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.io.TableSource;
import io.metagrad.spark.schema.Table;
import io.metagrad.spark.schema.TableSchemas;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code mgd featurize}: a pool table → a features table (features v1): {@code uid}, the feature
 * vector, {@code label} (from {@code --label-column}), {@code target} (from
 * {@code --target-embedding}), and how the features were made.
 *
 * <p>Before any work the pool is checked: uids present and unique, and the featurizer's input
 * (text, pixels/image or the embedding), the target embedding, and with {@code --target-set}
 * the label, present on every row; a miss names the file, row and uid. The written features are
 * checked to be finite and of one length.
 *
 * <p>Run as {@code mgd featurize …} or {@code spark-submit --class io.metagrad.spark.featurize.FeaturizeJob app.jar …}.
 */
public final class FeaturizeJob {

    private FeaturizeJob() {}

    public static void main(String[] args) {
        JobMain.run("featurize", args, new FeaturizeOptions(), o -> System.out.println(run(SparkSessions.getOrCreate("mgd featurize"), o)));
    }

    /** Runs what the options ask (one table, or one per {@code --split}); returns the summary lines. */
    public static String run(SparkSession spark, FeaturizeOptions o) {
        FeaturizeParams p = o.toParams();
        List<FeaturizeSplit> splits = o.splits();
        if (splits.isEmpty()) {
            return run(spark, p).summary();
        }
        return FeaturizeSplits.run(spark, p, splits, o.targetSplits()).stream().map(FeaturizeResult::summary)
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    public static FeaturizeResult run(SparkSession spark, FeaturizeParams p) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Inputs.requireTable(p.input(), "featurize --input", hadoop);
        if (p.fittedFrom() != null) {
            Inputs.requireTable(p.fittedFrom(), "featurize --fitted-from", hadoop);
        }
        Map<String, String> read = new LinkedHashMap<>();
        read.put("--input", p.input());
        read.put("--fitted-from", p.fittedFrom());
        OutputGuard.requireApart("featurize", Map.of("--output", p.output()), read, hadoop);
        AtomicOutput.to(p.output(), hadoop, p.overwrite()).abort(); // refuse an existing output before any work
        TableSource.requireSchema(spark, p.input(), Table.POOL);
        Dataset<Row> pool = TableSource.positioned(spark, Table.POOL, p.input());
        Featurizer featurizer = featurizer(p);
        Column label = labelColumn(pool, p);
        Column target = targetColumn(pool, p, featurizer);
        FittedReference reference = p.fittedFrom() == null ? null : FittedReference.read(p.fittedFrom(), hadoop);

        Dataset<Row> features = null;
        try (Progress progress = Progress.start(spark, "featurize")) {
            progress.step("checking " + p.committed().input());
            checkPool(pool, p, featurizer);
            progress.step((reference == null ? "fitting and applying " : "applying ") + p.featurizer().cliName()
                    + (reference == null ? "" : " as fitted for " + reference.shownPath()));
            Featurized f = featurizer.apply(pool, reference);
            String params = Json.compact(f.params());
            features = f.rows().select(col("uid"), col("features"), label.as("label"), target.as("target"),
                    lit(f.name()).as("featurizer"), lit(f.version()).as("featurizer_version"),
                    lit(params).as("featurizer_params"), col("source")).persist(StorageLevel.MEMORY_AND_DISK());
            int dim = checkFeatures(features, f.name());
            progress.step("writing " + p.committed().output());
            FeaturizeParams shown = p.committed(); // a split of featurize --split is written inside the staged output
            List<String> inputs = new ArrayList<>(List.of(shown.input()));
            if (reference != null) {
                inputs.add(reference.shownPath());
            }
            TableManifest manifest = TableManifest.of("featurize", p.targetSet() ? Table.TARGETS : Table.FEATURES)
                    .params(shown).inputs(inputs).put("featurizer", f.name()).put("featurizer_version", f.version())
                    .put("featurizer_params", Json.tree(f.params())).put("dim", dim);
            if (p.labelColumn().equals("label")) { // the class names of an indexed pool follow its labels
                io.metagrad.spark.ingest.LabelNames.index(p.input(), hadoop)
                        .ifPresent(index -> manifest.put(io.metagrad.spark.ingest.IngestJob.LABEL_INDEX, index));
            }
            long rows = FeatureTables.write(features, p.output(), p.overwrite(), manifest, featurizer::saveState);
            return new FeaturizeResult(new Path(shown.output()).toString(), rows, dim, f.name(), params);
        } finally {
            if (features != null) {
                features.unpersist();
            }
        }
    }

    private static Featurizer featurizer(FeaturizeParams p) {
        String fittedOn = p.committed().input(); // the params name the pool as it will be when a staged one is committed
        return switch (p.featurizer()) {
            case HASHING_TFIDF -> new HashingTfIdf(p.numFeatures(), fittedOn);
            case MINILM -> new MiniLm(p.batchSize(), p.runBatch());
            case PIXELS -> new Pixels(p.projectionDim(), p.seed(), fittedOn);
            case PASSTHROUGH -> new Passthrough(p.embedding());
        };
    }

    private static Column labelColumn(Dataset<Row> pool, FeaturizeParams p) {
        if (!p.hasLabels()) {
            return lit(null).cast(DataTypes.IntegerType);
        }
        if (!List.of(pool.columns()).contains(p.labelColumn())
                || !pool.schema().apply(p.labelColumn()).dataType().equals(DataTypes.IntegerType)) {
            throw new IllegalArgumentException("featurize --label-column '" + p.labelColumn() + "' is not an int column of "
                    + p.input() + " (use label, or none for no labels)");
        }
        return col(p.labelColumn());
    }

    private static Column targetColumn(Dataset<Row> pool, FeaturizeParams p, Featurizer featurizer) {
        List<String> embeddings = TableSchemas.embeddingNames(pool.schema());
        for (String name : p.embedding() == null ? List.<String>of() : List.of(p.embedding())) {
            requireEmbedding(name, "--embedding", embeddings, p);
        }
        if (p.targetEmbedding() == null) {
            return lit(null).cast(TableSchemas.floatArray());
        }
        requireEmbedding(p.targetEmbedding(), "--target-embedding", embeddings, p);
        return col(TableSchemas.EMBEDDING_PREFIX + p.targetEmbedding());
    }

    private static void requireEmbedding(String name, String option, List<String> embeddings, FeaturizeParams p) {
        if (!embeddings.contains(name)) {
            throw new IllegalArgumentException("featurize " + option + " " + name + ": pool " + p.input()
                    + " has no column emb_" + name + " (its embeddings: " + (embeddings.isEmpty() ? "none" : String.join(", ", embeddings)) + ")");
        }
    }

    /** One pass over the pool: uids present and unique, inputs present where needed. */
    private static void checkPool(Dataset<Row> pool, FeaturizeParams p, Featurizer featurizer) {
        List<String> names = new ArrayList<>();
        List<Column> missing = new ArrayList<>();
        names.add("uid");
        missing.add(col("uid").isNull());
        names.add(featurizer.input());
        missing.add(featurizer.missingInput());
        if (p.targetEmbedding() != null) {
            names.add(TableSchemas.EMBEDDING_PREFIX + p.targetEmbedding());
            missing.add(col(TableSchemas.EMBEDDING_PREFIX + p.targetEmbedding()).isNull());
        }
        if (p.targetSet() && p.hasLabels()) {
            names.add(p.labelColumn());
            missing.add(col(p.labelColumn()).isNull());
        }
        List<Column> aggregates = new ArrayList<>(List.of(count(lit(1)), countDistinct(col("uid"))));
        for (Column m : missing) {
            aggregates.add(sum(when(m, 1).otherwise(0)));
            aggregates.add(min(when(m, struct(col("_file"), col("_row"), col("uid")))));
        }
        Row r = pool.agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(new Column[0])).first();
        for (int i = 0; i < names.size(); i++) {
            long misses = r.isNullAt(2 + 2 * i) ? 0 : r.getLong(2 + 2 * i);
            if (misses > 0) {
                Row first = r.getStruct(3 + 2 * i);
                String why = i == 0 ? "every pool row needs a uid"
                        : i == 1 ? p.featurizer().cliName() + " needs " + featurizer.input() + " on every row"
                        : names.get(i).startsWith(TableSchemas.EMBEDDING_PREFIX) ? "--target-embedding needs it on every row"
                        : "a target set needs a label on every row";
                throw new IllegalArgumentException("pool " + first.getString(0) + " row " + (first.getLong(1) + 1)
                        + (i == 0 ? "" : " (uid " + first.getString(2) + ")") + " field '" + names.get(i) + "': missing; "
                        + why + " (" + (misses == 1 ? "1 row lacks" : misses + " rows lack") + " it)");
            }
        }
        long rows = r.getLong(0);
        if (r.getLong(1) != rows) {
            Row dup = pool.groupBy("uid").agg(count(lit(1)).as("n"), min(struct(col("_file"), col("_row"))).as("first"))
                    .filter(col("n").gt(1)).orderBy("first").first();
            throw new IllegalArgumentException("pool " + p.input() + " field 'uid': '" + dup.getString(0) + "' appears "
                    + dup.getLong(1) + " times (first at " + dup.getStruct(2).getString(0) + " row "
                    + (dup.getStruct(2).getLong(1) + 1) + "); uids must be unique (mgd ingest ensures it)");
        }
        if (rows == 0) {
            throw new IllegalArgumentException("pool " + p.input() + " has no rows");
        }
    }

    /** A last guard before writing: one length, finite values. Returns the dimension. */
    private static int checkFeatures(Dataset<Row> features, String name) {
        Row r = features.agg(min(size(col("features"))), max(size(col("features"))),
                sum(when(expr("exists(features, x -> isnan(x) OR abs(x) = double('infinity'))"), 1).otherwise(0))).first();
        if (r.getInt(0) != r.getInt(1)) {
            throw new IllegalStateException(name + " made features of lengths " + r.getInt(0) + " to " + r.getInt(1));
        }
        if (!r.isNullAt(2) && r.getLong(2) > 0) {
            throw new IllegalStateException(name + " made non-finite features on " + r.getLong(2) + " rows");
        }
        return r.getInt(0);
    }
}
