package io.metagrad.spark.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.schema.Table;
import io.metagrad.spark.schema.TableSchemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same records written as JSONL, CSV and Parquet ingest into equal pool tables, compared
 * with spark-testing-base's DataFrame equality (used as a helper object: its JUnit 4 base class
 * refers to Hive classes that this build does not ship).
 */
class IngestFormatsTest {

    private static final JavaDataFrameSuiteBase FRAMES = new JavaDataFrameSuiteBase();
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("ingest-formats-test");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private Dataset<Row> ingest(Path input, String output) {
        IngestJob.run(spark, IngestParams.of(List.of(input.toString()), dir.resolve(output).toString()).withShards(2));
        return TableSchemas.read(spark, Table.POOL, dir.resolve(output).toString()).orderBy("uid");
    }

    @Test
    void jsonlCsvAndParquetGiveTheSamePool() throws IOException {
        Files.write(dir.resolve("in.jsonl"), List.of(
                "{\"uid\": \"a\", \"text\": \"red, green\", \"label\": 3, \"source\": \"web\", \"emb_clip\": [0.5, -1.25]}",
                "{\"uid\": \"b\", \"text\": null, \"label\": null, \"source\": \"web\", \"emb_clip\": [2, 0]}",
                "{\"uid\": \"c\", \"text\": \"say \\\"hi\\\"\", \"label\": 0, \"emb_clip\": [1e-3, 7]}"));
        Files.write(dir.resolve("in.csv"), List.of(
                "uid,text,label,source,emb_clip",
                "a,\"red, green\",3,web,[0.5 -1.25]",
                "b,,,web,\"2,0\"",
                "c,\"say \"\"hi\"\"\",0,,0.001;7"));
        spark.sql("select 'a' as uid, 'red, green' as text, 3 as label, 'web' as source, array(0.5f, -1.25f) as emb_clip "
                + "union all select 'b', null, null, 'web', array(2f, 0f) "
                + "union all select 'c', 'say \"hi\"', 0, null, array(0.001f, 7f)")
                .write().parquet(dir.resolve("parquet").toString());

        Dataset<Row> fromJsonl = ingest(dir.resolve("in.jsonl"), "pool-jsonl");
        assertEquals(3, fromJsonl.count());
        FRAMES.assertDataFrameEquals(fromJsonl, ingest(dir.resolve("in.csv"), "pool-csv"), FRAMES.assertDataFrameEquals$default$3());
        FRAMES.assertDataFrameEquals(fromJsonl, ingest(dir.resolve("parquet"), "pool-parquet"), FRAMES.assertDataFrameEquals$default$3());
    }
}
