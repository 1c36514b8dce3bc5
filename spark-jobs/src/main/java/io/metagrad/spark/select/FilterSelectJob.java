package io.metagrad.spark.select;

import static org.apache.spark.sql.functions.asc;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.desc_nulls_last;
import static org.apache.spark.sql.functions.lit;

import io.metagrad.core.selection.Budget;
import io.metagrad.spark.io.AtomicOutput;
import io.metagrad.spark.io.FeatureTables;
import io.metagrad.spark.io.Inputs;
import io.metagrad.spark.io.OutputGuard;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.io.TableSource;
import io.metagrad.spark.schema.Table;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.ml.feature.Normalizer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mgd select --method none|basic|clip-score --score-column C|text-based|image-based|clip-image}:
 * the baselines of DataComp's filtering track (Gadre et al., 2023), each by its published rule,
 * written as the same {@code selection/} table as MGD (count 1 per kept item, {@code metagrad}
 * null, ranked by the method's score where it has one, else by uid). All of it runs in Spark: pool
 * metadata is joined by uid, KMeans is Spark MLlib's; only the cluster ids nearest the targets and
 * the class names reach the driver.
 * <ul>
 *   <li>{@code none}: every pool item.</li>
 *   <li>{@code basic}: {@link FilterRules#basic} on the pool table ({@code --metadata}).</li>
 *   <li>{@code clip-score} with {@code --score-column}: the top {@code --keep}/{@code --keep-fraction}
 *       by that pool-table column (DataComp: L/14 score, 30 %).</li>
 *   <li>{@code text-based}: captions that mention a class name of {@code --prompts} ({@link FilterRules#mentionsAny}).</li>
 *   <li>{@code image-based}: KMeans ({@code --clusters}) over the L2-normalized pool features (image
 *       embeddings); keeps the items of every cluster that is the nearest one of some {@code --target} image.</li>
 *   <li>{@code clip-image}: the intersection of {@code clip-score} and {@code image-based}.</li>
 * </ul>
 */
public final class FilterSelectJob {

    private static final Logger LOG = LoggerFactory.getLogger(FilterSelectJob.class);

    private FilterSelectJob() {}

    public static SelectJob.Result run(SparkSession spark, SelectParams params, FilterParams filter, Method method) {
        if (!method.isFilter(filter.scoreColumn() != null)) {
            throw new IllegalArgumentException("select --method " + method + " is not a DataComp filter");
        }
        boolean ranked = method == Method.CLIP_SCORE || method == Method.CLIP_IMAGE;
        boolean budgeted = params.keep() > 0 || params.keepFraction() > 0;
        if (ranked && !budgeted) {
            throw new IllegalArgumentException("select --method " + method + " needs a budget: --keep N or --keep-fraction f"
                    + " (DataComp's CLIP score baseline keeps 30 %: --keep-fraction 0.3)");
        }
        if (!ranked && budgeted) {
            throw new IllegalArgumentException("select --method " + method + " keeps every item its rule passes; drop --keep"
                    + " and --keep-fraction");
        }
        if (ranked && filter.scoreColumn() == null) {
            throw new IllegalArgumentException("select --method " + method + " ranks by a pool-table column: give --score-column"
                    + " (e.g. clip_l14_similarity_score) and --metadata POOL");
        }
        boolean needsMetadata = method == Method.BASIC || method == Method.TEXT_BASED || ranked;
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Inputs.requireTable(params.pool(), "select.pool", hadoop);
        Map<String, String> inputs = new LinkedHashMap<>(Map.of("--pool", params.pool()));
        if (needsMetadata) {
            if (filter.metadata() == null) {
                throw new IllegalArgumentException("select --method " + method + " reads pool metadata: give --metadata POOL (the"
                        + " ingested pool table)");
            }
            TableSource.require(spark, filter.metadata(), "select.metadata");
            inputs.put("--metadata", filter.metadata());
        }
        boolean images = method == Method.IMAGE_BASED || method == Method.CLIP_IMAGE;
        if (images) {
            Inputs.requireTable(params.target(), "select.target", hadoop);
            inputs.put("--target", params.target());
        }
        if (method == Method.TEXT_BASED) {
            if (params.prompts() == null) {
                throw new IllegalArgumentException("select --method text-based matches class names: give --prompts (class prompts)");
            }
            TableSource.require(spark, params.prompts(), "select.prompts");
            inputs.put("--prompts", params.prompts());
        }
        OutputGuard.requireApart("select", Map.of("--output", params.output()), inputs, hadoop);
        AtomicOutput out = AtomicOutput.to(params.output(), hadoop, params.overwrite());

        Dataset<Row> pool = FeatureTables.checked(spark, params.pool()).select(col("uid"), col("features"))
                .persist(StorageLevel.DISK_ONLY());
        try {
            long n = pool.count();
            if (n == 0) {
                throw new IllegalArgumentException("features table " + params.pool() + " has no rows");
            }
            Dataset<Row> items = pool.select(col("uid"));
            Map<String, Object> rule = new LinkedHashMap<>();
            if (needsMetadata) {
                Dataset<Row> metadata = TableSource.read(spark, Table.POOL, filter.metadata());
                items = withMetadata(items, metadata, params.pool(), filter.metadata());
            }
            Column score = lit(null).cast(DataTypes.DoubleType);
            switch (method) {
                case NONE -> rule.put("rule", "every pool item");
                case BASIC -> {
                    Column basic = FilterRules.basic(items);
                    if (basic == null) {
                        throw new IllegalArgumentException("pool table " + filter.metadata() + " has none of the columns basic"
                                + " filtering reads (text, original_width and original_height)");
                    }
                    rule.put("rules", FilterRules.basicRules(items));
                    items = items.where(basic);
                }
                case TEXT_BASED -> {
                    List<String> names = FilterRules.classNames(prompts(spark, params.prompts()));
                    rule.put("class_names", names);
                    items = items.where(FilterRules.mentionsAny(names));
                }
                case IMAGE_BASED -> items = items.join(nearTargets(spark, pool, params, filter, rule), "uid");
                case CLIP_SCORE, CLIP_IMAGE -> score = scoreColumn(items, filter);
                default -> throw new IllegalStateException(method.cliName());
            }
            long limit = Long.MAX_VALUE;
            if (ranked) {
                Budget budget = params.keep() > 0 ? Budget.ofCount((int) params.keep()) : Budget.ofFraction(params.keepFraction());
                limit = budget.size(Math.toIntExact(n)); // of the pool: DataComp's "top 30 %"
                items = items.where(score.isNotNull());
            }
            if (method == Method.CLIP_IMAGE) { // the CLIP-score subset of the pool, then only its items near the targets
                Dataset<Row> top = ranked(spark, items.select(col("uid"), score.as("score")), limit).select(col("uid"));
                items = items.join(top, "uid").join(nearTargets(spark, pool, params, filter, rule), "uid");
            }
            Dataset<Row> selection = ranked(spark, items.select(col("uid"), score.as("score")), limit);
            Map<String, Object> described = new LinkedHashMap<>();
            described.put("method", method.cliName());
            described.put("filter", filter.describe());
            described.put("rule", rule);
            described.put("select", params.describe());
            described.put("command", TableManifest.commandLine());
            try {
                BaselineSelectJob.commit(out, selection, method, described, new ArrayList<>(inputs.values()), hadoop, () -> {});
            } catch (Exception e) { // also SparkException, a checked exception Scala throws unchecked
                out.abort();
                throw e;
            }
            long kept = spark.read().parquet(out.destination() + "/selection").count();
            LOG.info("select --method {}: kept {} of {} items", method.cliName(), kept, n);
            return new SelectJob.Result(out.destination().toString(), 0, true, 0, List.of(), kept, n, new SelectJob.Costs(0, 0, 0, 0));
        } finally {
            pool.unpersist();
        }
    }

    /** The pool items with their pool-table columns; every item must be in the pool table. */
    private static Dataset<Row> withMetadata(Dataset<Row> items, Dataset<Row> metadata, String poolPath, String metadataPath) {
        List<Row> missing = items.join(metadata.select(col("uid")), items.col("uid").equalTo(metadata.col("uid")), "left_anti")
                .orderBy("uid").limit(1).collectAsList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("features table " + poolPath + " uid " + missing.get(0).getString(0)
                    + " is not in the pool table --metadata " + metadataPath + " (give the table the features were made from)");
        }
        return items.join(metadata, "uid");
    }

    /** Columns {@code uid}: the pool items whose KMeans cluster is the nearest cluster of some target image. */
    private static Dataset<Row> nearTargets(SparkSession spark, Dataset<Row> pool, SelectParams params, FilterParams filter,
            Map<String, Object> rule) {
        Dataset<Row> targets = FeatureTables.checked(spark, params.target()).select(col("uid"), col("features"));
        Normalizer unit = new Normalizer().setInputCol("raw").setOutputCol("vector").setP(2.0);
        Dataset<Row> points = unit.transform(pool.withColumn("raw", org.apache.spark.ml.functions.array_to_vector(col("features"))));
        KMeansModel model = new KMeans().setK(filter.clusters()).setSeed(params.seed()).setFeaturesCol("vector")
                .setPredictionCol("cluster").fit(points);
        Dataset<Row> targetPoints = unit.transform(targets.withColumn("raw",
                org.apache.spark.ml.functions.array_to_vector(col("features"))));
        List<Integer> clusters = new ArrayList<>();
        for (Row r : model.transform(targetPoints).select(col("cluster")).distinct().orderBy("cluster").collectAsList()) {
            clusters.add(r.getInt(0));
        }
        rule.put("clusters", model.clusterCenters().length);
        rule.put("target_clusters", clusters);
        return model.transform(points).where(col("cluster").isin(clusters.toArray())).select(col("uid"));
    }

    /** The prompt texts of a class-prompts table, by class id (as many as there are classes). */
    private static List<String> prompts(SparkSession spark, String path) {
        List<String> out = new ArrayList<>();
        for (Row r : TableSource.read(spark, Table.CLASS_PROMPTS, path).orderBy("class_id").select("prompt").collectAsList()) {
            out.add(r.getString(0));
        }
        return out;
    }

    /** {@code selection/v1} rows: score descending (none last), then uid; at most {@code limit}. */
    private static Dataset<Row> ranked(SparkSession spark, Dataset<Row> scored, long limit) {
        JavaRDD<Row> rows = scored.orderBy(desc_nulls_last("score"), asc("uid")).select(col("uid")).javaRDD().zipWithIndex()
                .filter(p -> p._2() < limit)
                .map(p -> RowFactory.create(p._1().getString(0), 1, null, (int) (p._2() + 1)));
        return spark.createDataFrame(rows, SelectTables.SELECTION);
    }

    /** The numeric pool-table column {@code --score-column} names, as double. */
    private static Column scoreColumn(Dataset<Row> items, FilterParams filter) {
        String name = filter.scoreColumn();
        if (!Arrays.asList(items.columns()).contains(name) || name.equals("uid")) {
            throw new IllegalArgumentException("pool table " + filter.metadata() + " has no column '" + name + "' (--score-column);"
                    + " it has " + String.join(", ", items.columns()));
        }
        DataType type = items.schema().apply(name).dataType();
        if (!(type instanceof org.apache.spark.sql.types.NumericType)) {
            throw new IllegalArgumentException("pool table " + filter.metadata() + " field '" + name + "' is "
                    + type.simpleString() + "; --score-column must name a numeric column");
        }
        if (items.where(col(name).isNotNull()).isEmpty()) {
            throw new IllegalArgumentException("pool table " + filter.metadata() + " field '" + name + "' is null on every row;"
                    + " --score-column needs the scores (ingest keeps DataComp's similarity columns)");
        }
        return col(name).cast(DataTypes.DoubleType);
    }
}
