package io.metagrad.spark.curate;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import io.metagrad.spark.io.AtomicFiles;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.select.SelectRun;
import io.metagrad.spark.select.SelectTables;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * What {@code curate --selection} names: any {@code selection/v1} table — an MGD select run directory, a baseline's
 * run directory ({@code select --method …}), one of an {@code evaluate} output's {@code runs/<method>-<budget>/}, or
 * the selection table itself. Only an MGD run has step metrics (losses before and after); every selection has its
 * uids and counts.
 *
 * @param selectionPath the {@code selection/v1} table
 * @param kind what made it: {@code mgd}, {@code select:<method>} (from its manifest), or {@code selection}
 * @param params the parameters its manifest records, or JSON null when it has none
 * @param mgd the MGD run, when the selection is one's
 */
record CuratedSelection(String selectionPath, String kind, JsonElement params, Optional<SelectRun> mgd) {

    private static final String STATE = "state.json";
    private static final String SELECTION = "selection";

    /** Opens {@code path}; fails naming it unless it is, or holds, a selection table (an MGD run must be finished). */
    static CuratedSelection open(String path, Configuration hadoop) {
        if (AtomicFiles.exists(new Path(path, STATE), hadoop)) {
            SelectRun run = SelectRun.open(path, hadoop);
            return new CuratedSelection(run.selectionPath(), "mgd", params(run.selectionPath(), hadoop), Optional.of(run));
        }
        String table = isSelection(path, hadoop) ? path : new Path(path, SELECTION).toString();
        if (!isDirectory(new Path(table), hadoop)) {
            throw new IllegalArgumentException(path + " holds no selection: neither a select run (no " + STATE + "), a"
                    + " directory with a " + SELECTION + "/ table (select --method, evaluate's runs/*), nor a "
                    + SelectTables.id("selection") + " table");
        }
        String kind = TableManifest.read(table, hadoop).filter(m -> m.has("stage")).map(m -> m.get("stage").getAsString())
                .orElse("selection");
        return new CuratedSelection(table, kind, params(table, hadoop), Optional.empty());
    }

    private static boolean isSelection(String path, Configuration hadoop) {
        return TableManifest.read(path, hadoop).filter(m -> m.has("schema"))
                .map(m -> SelectTables.id("selection").equals(m.get("schema").getAsString())).orElse(false);
    }

    private static JsonElement params(String table, Configuration hadoop) {
        Optional<JsonObject> manifest = TableManifest.read(table, hadoop);
        return manifest.filter(m -> m.has("params")).<JsonElement>map(m -> m.get("params")).orElse(JsonNull.INSTANCE);
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
