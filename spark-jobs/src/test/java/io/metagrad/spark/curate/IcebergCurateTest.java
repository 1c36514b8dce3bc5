package io.metagrad.spark.curate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.metagrad.core.tensor.Precision;
import io.metagrad.spark.demo.SyntheticSample;
import io.metagrad.spark.ingest.IngestJob;
import io.metagrad.spark.ingest.IngestParams;
import io.metagrad.spark.io.CatalogTables;
import io.metagrad.spark.select.SelectJob;
import io.metagrad.spark.select.SelectParams;
import io.metagrad.spark.train.TrainingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * curate --format iceberg on a Hadoop catalog (file://), and Iceberg tables as inputs: one snapshot per curate
 * run tagged with the select run; diff, time travel and roll back through Spark SQL; reruns commit nothing;
 * foreign tables are never written; select, ingest and curate read catalog tables like paths.
 */
class IcebergCurateTest {

    private static SparkSession spark;
    private static SyntheticSample.Paths sample;
    private static SelectJob.Result selectA;
    private static SelectJob.Result selectB;
    private static String warehouse;
    private static final TrainingOptions TRAINING = new TrainingOptions(TrainingOptions.ModelKind.LOGISTIC, null, 8, 0.2,
            TrainingOptions.ScheduleKind.COSINE, 0, 0.9, 0, 16, 20, 0, Precision.FLOAT32);

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("iceberg-curate-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
                .config("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
                .getOrCreate();
        warehouse = dir.resolve("warehouse").toUri().toString();
        CatalogTables.configure(spark, "lake.db.any", warehouse);
        sample = new SyntheticSample(3, 5, 90, 0.2, 0.1, 40, 10, 1.5, 4).write(spark, dir.resolve("sample").toString());
        selectA = select("select-a", 0.5);
        selectB = select("select-b", 0.9);
    }

    private static SelectJob.Result select(String name, double maskProbability) {
        return SelectJob.run(spark, SelectParams.builder(sample.poolFeatures(), sample.targetFeatures(), dir.resolve(name).toString())
                .training(TRAINING).mgdSteps(2).maskProbability(maskProbability).build());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static CurateJob.Result curate(SelectJob.Result select, String out, String table) {
        return CurateJob.run(spark, new CurateParams(sample.pool(), select.output(), dir.resolve(out).toString(), false)
                .toIceberg(table, warehouse));
    }

    private static Set<String> uids(String sql) {
        return new TreeSet<>(spark.sql(sql).as(Encoders.STRING()).collectAsList());
    }

    private static Set<String> selected(SelectJob.Result select) {
        return new TreeSet<>(spark.read().parquet(select.selectionPath()).select("uid").as(Encoders.STRING()).collectAsList());
    }

    private static JsonObject summary(CurateJob.Result r) throws Exception {
        return JsonParser.parseString(Files.readString(Path.of(java.net.URI.create(r.summaryPath())))).getAsJsonObject();
    }

    @Test
    void everyCurateRunIsOneSnapshotThatCanBeDiffedTimeTravelledAndRolledBack() throws Exception {
        String table = "lake.db.curated";
        CurateJob.Result a = curate(selectA, "curate-a", table);
        long s1 = summary(a).getAsJsonObject("iceberg").get("snapshot_id").getAsLong();
        assertEquals(selected(selectA), uids("SELECT uid FROM " + table));
        assertTrue(selected(selectA).size() < 90, "MGD dropped something");
        assertFalse(Files.exists(dir.resolve("curate-a").resolve(CurateJob.CURATED)), "rows went to the table, not to curated/");
        assertTrue(Files.exists(dir.resolve("curate-a").resolve(CurateJob.NPY)));

        CurateJob.Result b = curate(selectB, "curate-b", table);
        long s2 = summary(b).getAsJsonObject("iceberg").get("snapshot_id").getAsLong();
        assertNotEquals(s1, s2);
        assertNotEquals(selected(selectA), selected(selectB), "the two select runs chose differently");
        List<Row> snapshots = spark.sql("SELECT snapshot_id, parent_id, summary FROM " + table + ".snapshots ORDER BY committed_at")
                .collectAsList();
        assertEquals(2, snapshots.size(), "one snapshot per curate run");
        assertEquals(s2, snapshots.get(1).getLong(0));
        assertEquals(s1, snapshots.get(1).getLong(1));
        Map<String, String> tagA = snapshots.get(0).getJavaMap(2);
        Map<String, String> tagB = snapshots.get(1).getJavaMap(2);
        assertEquals(summary(a).get("select_run_id").getAsString(), tagA.get(IcebergCuration.RUN_ID));
        assertEquals(selectA.output(), tagA.get("metagrad.select-run"));
        assertEquals(selectB.output(), tagB.get("metagrad.select-run"));
        assertTrue(tagA.get("metagrad.select-params").contains("\"mask_probability\":0.5"), tagA.get("metagrad.select-params"));
        assertTrue(tagB.get("metagrad.select-params").contains("\"mask_probability\":0.9"), tagB.get("metagrad.select-params"));
        assertEquals(String.valueOf(selected(selectB).size()), tagB.get("metagrad.selected"));

        // time travel and diff
        assertEquals(selected(selectB), uids("SELECT uid FROM " + table));
        assertEquals(selected(selectA), uids("SELECT uid FROM " + table + " VERSION AS OF " + s1));
        Set<String> added = new TreeSet<>(selected(selectB));
        added.removeAll(selected(selectA));
        assertEquals(added, uids("SELECT uid FROM " + table + " VERSION AS OF " + s2 + " EXCEPT SELECT uid FROM " + table
                + " VERSION AS OF " + s1));

        // roll back to the first selection, then curating it again commits nothing new
        spark.sql("CALL lake.system.rollback_to_snapshot('db.curated', " + s1 + ")");
        assertEquals(selected(selectA), uids("SELECT uid FROM " + table));
        CurateJob.Result again = curate(selectA, "curate-a-again", table);
        assertFalse(summary(again).getAsJsonObject("iceberg").get("committed_by_this_run").getAsBoolean());
        assertEquals(s1, summary(again).getAsJsonObject("iceberg").get("snapshot_id").getAsLong());
        assertEquals(2, spark.sql("SELECT * FROM " + table + ".snapshots").count());
    }

    @Test
    void icebergRowsEqualTheParquetCurateRows() {
        String table = "lake.db.same_rows";
        curate(selectA, "curate-iceberg-rows", table);
        CurateJob.Result parquet = CurateJob.run(spark,
                new CurateParams(sample.pool(), selectA.output(), dir.resolve("curate-parquet-rows").toString(), false));
        List<Row> fromTable = spark.table(table).orderBy("uid").collectAsList();
        List<Row> fromParquet = spark.read().parquet(parquet.curatedPath()).orderBy("uid").collectAsList();
        assertEquals(fromParquet, fromTable);
        assertEquals(List.of(spark.read().parquet(parquet.curatedPath()).columns()), List.of(spark.table(table).columns()));
    }

    @Test
    void refusesATableCurateDidNotMakeBeforeAnyWork() {
        spark.sql("CREATE TABLE lake.db.foreign (uid STRING) USING iceberg");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> curate(selectA, "curate-foreign", "lake.db.foreign"));
        assertTrue(e.getMessage().contains("was not made by mgd curate"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("curate-foreign")));
        assertEquals(0, spark.sql("SELECT * FROM lake.db.foreign.snapshots").count());
    }

    @Test
    void anUnknownCatalogWithoutWarehouseNamesTheSettings() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CurateJob.run(spark,
                new CurateParams(sample.pool(), selectA.output(), dir.resolve("curate-nocat").toString(), false)
                        .toIceberg("nowhere.db.t", null)));
        assertTrue(e.getMessage().contains("spark.sql.catalog.nowhere") && e.getMessage().contains("--warehouse"), e.getMessage());
    }

    @Test
    void selectIngestAndCurateReadCatalogTablesLikePaths() {
        spark.sql("CREATE TABLE lake.db.pool_features USING iceberg AS SELECT * FROM parquet.`" + sample.poolFeatures() + "`");
        spark.sql("CREATE TABLE lake.db.target_features USING iceberg AS SELECT * FROM parquet.`" + sample.targetFeatures() + "`");
        SelectJob.Result fromTables = SelectJob.run(spark, SelectParams.builder("lake.db.pool_features", "lake.db.target_features",
                dir.resolve("select-from-tables").toString()).training(TRAINING).mgdSteps(2).maskProbability(0.5).build());
        List<Row> expected = spark.read().parquet(selectA.selectionPath()).orderBy("rank").collectAsList();
        assertEquals(expected, spark.read().parquet(fromTables.selectionPath()).orderBy("rank").collectAsList(),
                "the same selection, bit for bit, from the same rows in Iceberg");

        spark.sql("CREATE TABLE lake.db.raw_pool USING iceberg AS SELECT * FROM parquet.`" + sample.pool() + "`");
        String ingested = dir.resolve("ingested-from-table").toString();
        IngestJob.run(spark, IngestParams.of(List.of("lake.db.raw_pool"), ingested).withShards(1));
        assertEquals(spark.read().parquet(sample.pool()).orderBy("uid").collectAsList(),
                spark.read().parquet(ingested).select("uid", "label", "source").orderBy("uid").collectAsList());

        CurateJob.Result curated = CurateJob.run(spark, new CurateParams("lake.db.pool_features", selectA.output(),
                dir.resolve("curate-from-table").toString(), false));
        assertEquals(selected(selectA), new HashSet<>(spark.read().parquet(curated.curatedPath()).select("uid")
                .as(Encoders.STRING()).collectAsList()));
    }

    @Test
    void aBadRowInACatalogTableIsNamedByItsDataFileAndRow() {
        spark.sql("CREATE TABLE lake.db.bad_features USING iceberg AS SELECT * FROM parquet.`" + sample.poolFeatures() + "`");
        spark.sql("INSERT INTO lake.db.bad_features SELECT uid, features, label, target, featurizer, featurizer_version,"
                + " featurizer_params FROM parquet.`" + sample.poolFeatures() + "` LIMIT 1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> io.metagrad.spark.io.FeatureTables.read(spark, "lake.db.bad_features"));
        assertTrue(e.getMessage().matches("(?s)features table .*\\.parquet row \\d+ field 'uid' '.*' duplicates .*\\.parquet row \\d+.*"),
                e.getMessage());
    }
}
