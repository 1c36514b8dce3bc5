package io.metagrad.spark.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.cli.Mgd;
import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.schema.Table;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code MgdSelector.method}: the baselines and DataComp filters from the Spark ML API select exactly what
 * {@code mgd select --method} selects on the same tables, and the method params survive save and load.
 */
class MgdSelectorMethodsTest {

    private static final int POOL = 60;
    private static SparkSession spark;
    private static Dataset<Row> data;
    private static String metadata;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("mgd-selector-methods-test");
        Random random = new Random(7);
        List<Row> rows = new ArrayList<>();
        List<Row> meta = new ArrayList<>();
        String[] captions = {"a shirt", "a photo of a grey pullover", "bag", "two black ankle boots on a floor"};
        for (int i = 0; i < POOL + 20; i++) {
            String id = String.format("%032x", 0x5eedL * (i + 1));
            int c = i % 2;
            rows.add(RowFactory.create(id, (double) c, i >= POOL, (c == 0 ? 1.0 : 0.0) + random.nextGaussian(),
                    (c == 1 ? 1.0 : 0.0) + random.nextGaussian()));
            meta.add(RowFactory.create(id, captions[i % 4], 100 + 37 * (i % 11), 150 + 41 * (i % 7), random.nextDouble()));
        }
        StructType schema = new StructType().add("id", DataTypes.StringType, false).add("label", DataTypes.DoubleType, false)
                .add("is_target", DataTypes.BooleanType, false).add("x0", DataTypes.DoubleType).add("x1", DataTypes.DoubleType);
        data = new VectorAssembler().setInputCols(new String[] {"x0", "x1"}).setOutputCol("features")
                .transform(spark.createDataFrame(rows, schema).repartition(2));
        StructType metaSchema = new StructType().add("uid", DataTypes.StringType, false).add("text", DataTypes.StringType)
                .add("original_width", DataTypes.IntegerType).add("original_height", DataTypes.IntegerType)
                .add("clip_l14_similarity_score", DataTypes.DoubleType);
        metadata = dir.resolve("metadata").toString();
        spark.createDataFrame(meta, metaSchema).repartition(2).write().parquet(metadata);
        TableManifest.of("test", Table.POOL).writeTo(metadata, spark.sparkContext().hadoopConfiguration());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static List<String> uids(Dataset<Row> selection) {
        return selection.orderBy("rank").select("uid").as(Encoders.STRING()).collectAsList();
    }

    /** Fits {@code selector} and runs the command on the very tables the fit wrote; both selections in rank order. */
    private static List<List<String>> fitAndCommand(MgdSelector selector, String name, String... method) {
        String work = dir.resolve(name).toString();
        MgdSelectionModel model = selector.setUidCol("id").setTargetCol("is_target").setWorkDir(work).setSeed(11).setBatchSize(16)
                .fit(data);
        List<String> args = new ArrayList<>(List.of("select", "--pool", work + "/pool", "--target", work + "/target",
                "--output", dir.resolve(name + "-cli").toString(), "--seed", "11", "--batch-size", "16"));
        args.addAll(List.of(method));
        assertEquals(0, Mgd.commandLine().execute(args.toArray(new String[0])), String.join(" ", args));
        return List.of(uids(model.selection()), uids(spark.read().parquet(dir.resolve(name + "-cli/selection").toString())));
    }

    @Test
    void baselinesAndFiltersFromTheMlApiEqualTheCommand() throws Exception {
        List<List<String>> random = fitAndCommand(new MgdSelector().setMethod("random").setKeepFraction(0.25), "random",
                "--method", "random", "--keep-fraction", "0.25");
        assertEquals(15, random.get(0).size());
        assertEquals(random.get(1), random.get(0));

        List<List<String>> clip = fitAndCommand(new MgdSelector().setMethod("clip-score").setScoreColumn("clip_l14_similarity_score")
                .setMetadataPath(metadata).setKeepFraction(0.3), "clip",
                "--method", "clip-score", "--score-column", "clip_l14_similarity_score", "--metadata", metadata,
                "--keep-fraction", "0.3");
        assertEquals(18, clip.get(0).size());
        assertEquals(clip.get(1), clip.get(0));
        List<String> byScore = spark.read().parquet(metadata).where("uid in (" + String.join(",", uids(data.where("not is_target")
                .select(org.apache.spark.sql.functions.col("id").as("uid")).withColumn("rank", org.apache.spark.sql.functions.lit(0)))
                .stream().map(u -> "'" + u + "'").toList()) + ")").orderBy(org.apache.spark.sql.functions.desc("clip_l14_similarity_score"))
                .limit(18).select("uid").as(Encoders.STRING()).collectAsList();
        assertEquals(byScore, clip.get(0), "the top 30 % of the pool by the score column");

        List<List<String>> basic = fitAndCommand(new MgdSelector().setMethod("basic").setMetadataPath(metadata), "basic",
                "--method", "basic", "--metadata", metadata);
        assertTrue(basic.get(0).size() > 0 && basic.get(0).size() < POOL, "basic keeps some: " + basic.get(0).size());
        assertEquals(basic.get(1), basic.get(0));

        // the method params are saved and loaded with the selector
        MgdSelector selector = new MgdSelector().setMethod("clip-image").setScoreColumn("s").setMetadataPath("m").setClusters(4)
                .setPromptsPath("p").setKeepFraction(0.3);
        String saved = dir.resolve("saved-selector").toString();
        selector.write().overwrite().save(saved);
        MgdSelector loaded = MgdSelector.load(saved);
        assertEquals("clip-image", loaded.getOrDefault(loaded.method()));
        assertEquals(selector.filterParams(), loaded.filterParams());
        MgdSelector fresh = new MgdSelector();
        assertEquals("mgd", fresh.getOrDefault(fresh.method()));

        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> new MgdSelector().setMethod("best").setUidCol("id").setTargetCol("is_target").fit(data));
        assertTrue(unknown.getMessage().contains("unknown selection method 'best'"), unknown.getMessage());
    }
}
