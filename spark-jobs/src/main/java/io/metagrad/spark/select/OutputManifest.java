package io.metagrad.spark.select;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The {@code _metagrad.json} written next to every table select and curate write: stage, schema id,
 * params, inputs, row count, versions and UTC time. Same fields as the ingest branch's
 * {@code TableManifest}, which replaces this class when the branches merge.
 */
public final class OutputManifest {

    /** File name inside a table directory (Spark skips files starting with {@code _}). */
    public static final String FILE_NAME = "_metagrad.json";

    private static final Gson JSON = new GsonBuilder().disableHtmlEscaping().setPrettyPrinting().create();

    private final Map<String, Object> fields = new LinkedHashMap<>();

    private OutputManifest(String stage, String schema) {
        fields.put("stage", stage);
        fields.put("schema", schema);
    }

    /** Starts the manifest of a table with schema id {@code schema} (e.g. {@code selection/v1}) made by {@code stage}. */
    public static OutputManifest of(String stage, String schema) {
        return new OutputManifest(stage, schema);
    }

    public OutputManifest params(Map<String, Object> params) {
        return put("params", params);
    }

    public OutputManifest inputs(List<String> inputs) {
        return put("inputs", inputs);
    }

    public OutputManifest rowCount(long rows) {
        return put("row_count", rows);
    }

    public OutputManifest put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    /** Writes {@code dir/_metagrad.json}, stamping versions and time. */
    public void writeTo(String dir, Configuration hadoop) {
        Map<String, Object> out = new LinkedHashMap<>(fields);
        Map<String, String> versions = new LinkedHashMap<>();
        String metagrad = OutputManifest.class.getPackage().getImplementationVersion();
        versions.put("metagrad", metagrad == null ? "dev" : metagrad);
        versions.put("spark", org.apache.spark.package$.MODULE$.SPARK_VERSION());
        versions.put("java", System.getProperty("java.version"));
        out.put("versions", versions);
        out.put("created_utc", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        Path file = new Path(dir, FILE_NAME);
        try (OutputStream o = file.getFileSystem(hadoop).create(file, true)) {
            o.write((JSON.toJson(out) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
