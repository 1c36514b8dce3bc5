package io.metagrad.spark.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.metagrad.spark.io.AtomicFiles;
import io.metagrad.spark.io.AtomicOutput;
import io.metagrad.spark.io.Json;
import io.metagrad.spark.show.RunInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * {@code report.html}: one self-contained page for a run directory — what {@code mgd show} reads (kind,
 * steps, selection size), the run's tables and plots ({@link KindSections}), its parameters and its
 * provenance (inputs, versions, when). Jobs write it into their output before the commit; {@code mgd report}
 * renders any run directory again.
 */
public final class RunReport {

    /** The report's name inside a run directory. */
    public static final String FILE_NAME = "report.html";

    /** Longest JSON value shown in a cell; longer ones (per-task timings…) are cut, the manifest has them whole. */
    private static final int MAX_VALUE_CHARS = 400;

    private RunReport() {}

    /** The page for the run directory {@code dir}, naming it {@code shownPath} (its final path when {@code dir} is staged). */
    public static String render(String dir, String shownPath, Configuration hadoop) {
        RunInfo run = RunInfo.read(dir, hadoop);
        shownPath = AtomicOutput.committedPath(shownPath); // a run made inside a staged output (demo's select) is named as committed
        Html page = new Html("metagrad " + run.kind() + ": " + shownPath);
        page.table(List.of("run", "kind", "schema", "created (UTC)", "steps", "selection"), List.of(List.of(shownPath, run.kind(),
                nonNull(run.schema()), nonNull(run.created()), steps(run), run.selectionRows() < 0 ? "none" : run.selectionRows()
                        + " items")));
        if (!run.labels().isEmpty()) { // class names of an indexed pool (ingest --index-labels)
            page.heading("Classes");
            List<List<String>> classes = new ArrayList<>();
            for (int id = 0; id < run.labels().size(); id++) {
                classes.add(List.of(String.valueOf(id), run.labels().get(id)));
            }
            page.table(List.of("label id", "class name"), classes);
        }
        new KindSections(run, new Path(dir), hadoop).appendTo(page);
        page.heading("Parameters");
        List<List<String>> params = new ArrayList<>();
        flatten("", run.params(), params);
        if (params.isEmpty()) {
            page.note("The manifest records no parameters.");
        } else {
            page.table(List.of("parameter", "value"), params);
        }
        page.heading("Provenance");
        List<List<String>> provenance = new ArrayList<>();
        for (Map.Entry<String, JsonElement> e : run.manifest().entrySet()) {
            if (!e.getKey().equals("params")) {
                flatten(e.getKey(), e.getValue(), provenance);
            }
        }
        page.table(List.of("field (" + io.metagrad.spark.io.TableManifest.FILE_NAME + ")", "value"), provenance);
        return page.page();
    }

    /** Renders {@code dir} and writes {@code dir/report.html} atomically; a job calls it on its staged output before the commit. */
    public static void writeInto(String dir, String shownPath, Configuration hadoop) {
        AtomicFiles.write(new Path(dir, FILE_NAME), render(dir, shownPath, hadoop).getBytes(StandardCharsets.UTF_8), hadoop);
    }

    private static String steps(RunInfo run) {
        return run.steps().isEmpty() ? "" : run.steps().get("completed") + " of " + run.steps().get("planned") + " (best "
                + run.steps().get("best") + ")";
    }

    /** Objects become one row per leaf, named by their dotted path; arrays and scalars are one cell of JSON. */
    private static void flatten(String name, JsonElement value, List<List<String>> rows) {
        if (value == null || value.isJsonNull()) {
            if (!name.isEmpty()) {
                rows.add(List.of(name, "null"));
            }
            return;
        }
        if (value.isJsonObject()) {
            JsonObject o = value.getAsJsonObject();
            for (Map.Entry<String, JsonElement> e : o.entrySet()) {
                flatten(name.isEmpty() ? e.getKey() : name + "." + e.getKey(), e.getValue(), rows);
            }
            return;
        }
        String text = value.isJsonPrimitive() ? value.getAsString() : Json.compact(value);
        rows.add(List.of(name.isEmpty() ? "(value)" : name, text.length() > MAX_VALUE_CHARS
                ? text.substring(0, MAX_VALUE_CHARS) + " … (" + text.length() + " characters)" : text));
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
