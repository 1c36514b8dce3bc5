package io.metagrad.spark.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * The kinds of table metagrad jobs exchange. Each has a versioned Spark schema, kept in
 * {@code data-schemas/v<version>/<name>.json} and read from the classpath, so the documented
 * schema and the enforced one are the same file.
 */
public enum Table {
    /** Candidate pool: the items to choose from ({@code data-schemas/v1/pool.json} plus {@code emb_<name>} columns). */
    POOL("pool"),
    /** Features: one feature vector per pool item, with how it was made. */
    FEATURES("features"),
    /** Target set: a features table whose rows carry labels (or paired text embeddings). */
    TARGETS("targets"),
    /** Class prompts for zero-shot evaluation: class id, prompt text, optional embedding. */
    CLASS_PROMPTS("class-prompts"),
    /** Attribution scores: one row per (target, training example), the exact influence. */
    ATTRIBUTION("attribution"),
    /** The top-k most helpful and most harmful training examples of each target. */
    ATTRIBUTION_TOP("attribution-top");

    /** The schema version every table of this build writes and reads. */
    public static final int VERSION = 1;

    private final String fileName;
    private volatile StructType schema;

    Table(String fileName) {
        this.fileName = fileName;
    }

    /** The name used in schema files, manifests and messages, e.g. {@code pool}. */
    public String tableName() {
        return fileName;
    }

    /** Name and version as recorded in {@code _metagrad.json}, e.g. {@code pool/v1}. */
    public String id() {
        return fileName + "/v" + VERSION;
    }

    /** The documented fields, in order (for the pool, without the open-ended {@code emb_<name>} columns). */
    public StructType schema() {
        StructType s = schema;
        if (s == null) {
            s = load("/data-schemas/v" + VERSION + "/" + fileName + ".json");
            schema = s;
        }
        return s;
    }

    private static StructType load(String resource) {
        try (InputStream in = Table.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema " + resource + " is missing from the classpath (broken build?)");
            }
            return (StructType) DataType.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema " + resource, e);
        }
    }
}
