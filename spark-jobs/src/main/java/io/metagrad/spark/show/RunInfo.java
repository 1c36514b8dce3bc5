package io.metagrad.spark.show;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import io.metagrad.spark.io.AtomicFiles;
import io.metagrad.spark.io.Json;
import io.metagrad.spark.io.ParquetFiles;
import io.metagrad.spark.io.TableManifest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * What a metagrad output directory holds, read from its files alone (no Spark job): which stage made it and
 * with which schema ({@code _metagrad.json}), its parameters, how far an MGD run got ({@code state.json}) and
 * how many rows its {@code selection/} table has (from the Parquet footers).
 *
 * @param path the directory
 * @param stage the stage that wrote it (e.g. {@code select}, {@code select:random}, {@code evaluate})
 * @param schema its schema id (e.g. {@code mgd_run/v1})
 * @param params the parameters its manifest records (JSON null when none)
 * @param steps for an MGD run: {@code completed}, {@code planned} and {@code best} step; else empty
 * @param selectionRows rows of {@code selection/}, or -1 when it has none (yet)
 * @param created when the manifest was written (UTC), or null
 * @param labels the class names by id ({@code ingest --index-labels}; a run's through its pool), or empty
 * @param manifest the whole {@code _metagrad.json} (inputs, versions and what else the stage recorded)
 */
public record RunInfo(String path, String stage, String schema, JsonElement params, Map<String, Integer> steps,
        long selectionRows, String created, java.util.List<String> labels, JsonObject manifest) {

    private static final String STATE = "state.json";
    private static final String SELECTION = "selection";

    /** Reads the directory at {@code path}; fails (exit 3) when nothing is there, naming it, or (exit 2) without a manifest. */
    public static RunInfo read(String path, Configuration hadoop) {
        io.metagrad.spark.io.Inputs.requireTable(path, "show RUN", hadoop);
        JsonObject manifest = TableManifest.read(path, hadoop).orElseThrow(() -> new IllegalArgumentException(path
                + " has no " + TableManifest.FILE_NAME + "; it is no metagrad output (give a run directory, e.g. select's --output)"));
        Map<String, Integer> steps = new LinkedHashMap<>();
        AtomicFiles.readText(new Path(path, STATE).toString(), hadoop).map(t -> Json.parse(t).getAsJsonObject()).ifPresent(s -> {
            steps.put("completed", s.get("completed_step").getAsInt());
            steps.put("planned", s.get("planned_steps").getAsInt());
            steps.put("best", s.get("best_step").getAsInt());
        });
        Path selection = new Path(path, SELECTION);
        long rows = isDirectory(selection, hadoop) ? ParquetFiles.rowCount(selection.toString(), hadoop) : -1;
        return new RunInfo(path, text(manifest, "stage"), text(manifest, "schema"),
                Optional.ofNullable(manifest.get("params")).orElse(JsonNull.INSTANCE), steps, rows, text(manifest, "created_utc"),
                io.metagrad.spark.ingest.LabelNames.of(Optional.of(manifest), hadoop), manifest);
    }

    /** What made it, in words: {@code MGD select run}, {@code baseline selection (random)}, or the stage's name. */
    public String kind() {
        if ("mgd_run/v1".equals(schema)) {
            return "MGD select run";
        }
        if (stage != null && stage.startsWith("select:")) {
            return "baseline selection (" + stage.substring("select:".length()) + ")";
        }
        return stage == null ? "unknown" : stage + " output";
    }

    /** The lines {@code mgd show} prints. */
    public String text() {
        StringBuilder b = new StringBuilder();
        b.append("path:      ").append(path).append('\n');
        b.append("kind:      ").append(kind()).append(" (").append(schema).append(")\n");
        if (!steps.isEmpty()) {
            b.append("steps:     ").append(steps.get("completed")).append(" of ").append(steps.get("planned"))
                    .append(" completed; best step ").append(steps.get("best")).append('\n');
        }
        b.append("selection: ").append(selectionRows < 0 ? "none" : selectionRows + " items").append('\n');
        if (!labels.isEmpty()) {
            b.append("labels:    ").append(io.metagrad.spark.ingest.LabelNames.describe(labels)).append('\n');
        }
        if (created != null) {
            b.append("created:   ").append(created).append('\n');
        }
        b.append("params:    ").append(Json.pretty(params).replace("\n", "\n           ")).append('\n');
        return b.toString();
    }

    /** The same as one JSON object, for scripts. */
    public String json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", path);
        m.put("kind", kind());
        m.put("stage", stage);
        m.put("schema", schema);
        m.put("steps", steps.isEmpty() ? null : steps);
        m.put("selection_rows", selectionRows < 0 ? null : selectionRows);
        m.put("created_utc", created);
        m.put("labels", labels.isEmpty() ? null : labels);
        m.put("params", params);
        return Json.pretty(m);
    }

    private static String text(JsonObject o, String field) {
        return o.has(field) && !o.get(field).isJsonNull() ? o.get(field).getAsString() : null;
    }

    private static boolean isDirectory(Path p, Configuration hadoop) {
        try {
            return p.getFileSystem(hadoop).getFileStatus(p).isDirectory();
        } catch (java.io.FileNotFoundException e) {
            return false;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot open " + p, e);
        }
    }
}
