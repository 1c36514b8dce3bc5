package io.metagrad.spark.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.spark.SparkSessions;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TableSchemasTest {

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("table-schemas-test");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void schemasComeFromTheDocumentedFiles() {
        assertEquals(List.of("uid", "text", "url", "image", "pixels", "label", "source", "clip_b32_similarity_score",
                "clip_l14_similarity_score", "original_width", "original_height", "sha256"),
                List.of(Table.POOL.schema().fieldNames()));
        assertEquals(List.of("uid", "features", "label", "target", "featurizer", "featurizer_version", "featurizer_params",
                "source"),
                List.of(Table.FEATURES.schema().fieldNames()));
        assertEquals(List.of(Table.FEATURES.schema().fieldNames()), List.of(Table.TARGETS.schema().fieldNames()));
        assertEquals(List.of("class_id", "prompt", "embedding"), List.of(Table.CLASS_PROMPTS.schema().fieldNames()));
        assertEquals("pool/v1", Table.POOL.id());
        assertTrue(Table.POOL.schema().apply("uid").getComment().isDefined());
    }

    @Test
    void poolAcceptsEmbeddingColumnsAndFillsAbsentOptionalFields() {
        Dataset<Row> pool = spark.sql("select 'u1' as uid, array(cast(1 as float)) as emb_clip_txt, "
                + "array(cast(2 as float), cast(3 as float)) as emb_b32, 4 as label");
        Dataset<Row> valid = TableSchemas.validate(pool, Table.POOL, "mem");
        assertEquals(List.of("uid", "text", "url", "image", "pixels", "label", "source", "clip_b32_similarity_score",
                "clip_l14_similarity_score", "original_width", "original_height", "sha256", "emb_b32", "emb_clip_txt"),
                List.of(valid.columns()));
        assertEquals(List.of("b32", "clip_txt"), TableSchemas.embeddingNames(valid.schema()));
        Row r = valid.first();
        assertTrue(r.isNullAt(1));
        assertEquals(4, r.getInt(5));
    }

    @Test
    void errorsNameTableFieldAndProblem() {
        String message = assertThrows(IllegalArgumentException.class, () -> TableSchemas.validate(
                spark.sql("select 'u' as uid, array(1.0d) as emb_x"), Table.POOL, "/data/pool")).getMessage();
        assertEquals("pool table /data/pool: field 'emb_x' has type array<double>; pool/v1 requires array<float>", message);

        message = assertThrows(IllegalArgumentException.class, () -> TableSchemas.validate(
                spark.sql("select 'u' as uid, 'x' as label"), Table.POOL, "/p")).getMessage();
        assertTrue(message.contains("field 'label' has type string; pool/v1 requires int"), message);

        message = assertThrows(IllegalArgumentException.class, () -> TableSchemas.validate(
                spark.sql("select 'cat' as lable"), Table.POOL, "/p")).getMessage();
        assertTrue(message.contains("field 'uid' is missing"), message);

        message = assertThrows(IllegalArgumentException.class, () -> TableSchemas.validate(
                spark.sql("select 'u' as uid, 'cat' as lable"), Table.POOL, "/p")).getMessage();
        assertTrue(message.contains("field 'lable' is not a pool/v1 field (allowed: uid, text"), message);

        message = assertThrows(IllegalArgumentException.class, () -> TableSchemas.validate(
                spark.sql("select 1 as class_id"), Table.CLASS_PROMPTS, "/c")).getMessage();
        assertTrue(message.startsWith("class-prompts table /c: field 'prompt' is missing"), message);
    }
}
