package io.metagrad.spark.io;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.metagrad.spark.schema.Table;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code _metagrad.json} file written next to every output table: which stage made it,
 * with which parameters, from which inputs, how many rows, which schema version, the
 * versions of metagrad, Spark and Java, and when (UTC). Spark ignores files starting with
 * {@code _} when it reads the table.
 */
public final class TableManifest {

    /** File name of the manifest inside a table directory. */
    public static final String FILE_NAME = "_metagrad.json";

    private final Map<String, Object> fields = new LinkedHashMap<>();

    private TableManifest(String stage, String schema) {
        fields.put("stage", stage);
        fields.put("schema", schema);
    }

    /** Starts the manifest of a {@code table} made by {@code stage} (e.g. "ingest"). */
    public static TableManifest of(String stage, Table table) {
        return new TableManifest(stage, table.id());
    }

    /** Starts the manifest of a table that is not one of {@link Table} (e.g. a quarantine table). */
    public static TableManifest of(String stage, String schemaId) {
        return new TableManifest(stage, schemaId);
    }

    /** The job's resolved parameters (a record, a map…). */
    public TableManifest params(Object params) {
        return put("params", params);
    }

    /** The input paths. */
    public TableManifest inputs(List<String> inputs) {
        return put("inputs", inputs);
    }

    public TableManifest rowCount(long rows) {
        return put("row_count", rows);
    }

    /** Any further field (e.g. feature dimension, counts). */
    public TableManifest put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    /**
     * The command line of this JVM, recorded with a selection so a submission can say what made it: for
     * {@code bin/mgd} it is {@code io.metagrad.cli.Mgd select …}, under {@code spark-submit} SparkSubmit's,
     * whose {@code --conf} values may be credentials. Those are redacted as Spark redacts its own conf in
     * logs and the UI: every {@code KEY=VALUE} whose key matches {@code spark.redaction.regex}, and the user
     * part of a {@code scheme://user:secret@host} URI.
     */
    public static String commandLine() {
        return redacted(System.getProperty("sun.java.command", ""), redactionPattern());
    }

    /** The value Spark writes in place of a redacted one. */
    static final String REDACTED = "*********(redacted)";
    private static final String SPARK_DEFAULT_REDACTION = "(?i)secret|password|token|access[.]key";
    private static final Pattern URI_USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^/@\\s]+@");

    /** {@code command} with the values of secret-named {@code KEY=VALUE} tokens and URI user parts replaced. */
    static String redacted(String command, Pattern secretKey) {
        StringBuilder out = new StringBuilder(command.length());
        for (String token : command.split(" ", -1)) {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(redactedToken(token, secretKey));
        }
        return out.toString();
    }

    private static String redactedToken(String token, Pattern secretKey) {
        // the first '=' whose left side names a secret: also --conf=KEY=VALUE, and values holding '='
        for (int eq = token.indexOf('='); eq > 0; eq = token.indexOf('=', eq + 1)) {
            if (secretKey.matcher(token.substring(0, eq)).find()) {
                return token.substring(0, eq + 1) + REDACTED;
            }
        }
        return URI_USER_INFO.matcher(token).replaceAll("$1" + Matcher.quoteReplacement(REDACTED) + "@");
    }

    /** The active session's {@code spark.redaction.regex}, else Spark's default. */
    private static Pattern redactionPattern() {
        scala.Option<SparkSession> active = SparkSession.getActiveSession();
        String regex = active.isDefined() ? active.get().conf().get("spark.redaction.regex", SPARK_DEFAULT_REDACTION)
                : SPARK_DEFAULT_REDACTION;
        return Pattern.compile(regex);
    }

    /** Writes {@code dir/_metagrad.json} (stamping versions and time). */
    public void writeTo(String dir, Configuration hadoop) {
        Map<String, Object> out = new LinkedHashMap<>(fields);
        out.put("versions", versions());
        out.put("created_utc", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        AtomicFiles.writeText(new Path(dir, FILE_NAME).toString(), Json.pretty(out) + "\n", hadoop);
    }

    /** Reads {@code dir/_metagrad.json}, or empty when the table has none. */
    public static Optional<JsonObject> read(String dir, Configuration hadoop) {
        Path file = new Path(dir, FILE_NAME);
        Optional<String> text = AtomicFiles.readText(file.toString(), hadoop);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonElement e = Json.parse(text.get());
            if (!e.isJsonObject()) {
                throw new IllegalArgumentException(file + " is not a JSON object");
            }
            return Optional.of(e.getAsJsonObject());
        } catch (com.google.gson.JsonParseException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Checks that the manifest at {@code dir}, if any, declares one of the {@code accepted} tables
     * in this build's schema version.
     */
    public static void requireSchema(String dir, Configuration hadoop, Table... accepted) {
        Optional<JsonObject> manifest = read(dir, hadoop);
        if (manifest.isEmpty() || !manifest.get().has("schema")) {
            return;
        }
        requireSchema(dir, manifest.get().get("schema").getAsString(), accepted);
    }

    /** Checks that {@code schema} (declared by the table at {@code location}; null: none) is one of {@code accepted}. */
    static void requireSchema(String location, String schema, Table... accepted) {
        if (schema == null) {
            return;
        }
        for (Table t : accepted) {
            if (t.id().equals(schema)) {
                return;
            }
        }
        StringBuilder ids = new StringBuilder();
        for (Table t : accepted) {
            ids.append(ids.length() == 0 ? "" : " or ").append(t.id());
        }
        throw new IllegalArgumentException("table " + location + " is " + schema + " (per its " + FILE_NAME + " or "
                + TableSource.SCHEMA_PROPERTY + " property); expected " + ids);
    }

    private static Map<String, String> versions() {
        Map<String, String> v = new LinkedHashMap<>();
        String metagrad = TableManifest.class.getPackage().getImplementationVersion();
        v.put("metagrad", metagrad == null ? "dev" : metagrad);
        v.put("spark", org.apache.spark.package$.MODULE$.SPARK_VERSION());
        v.put("java", System.getProperty("java.version"));
        return v;
    }
}
