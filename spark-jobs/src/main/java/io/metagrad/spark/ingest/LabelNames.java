package io.metagrad.spark.ingest;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.metagrad.spark.io.TableManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * The class names of a table that {@code ingest --index-labels} numbered: its manifest's {@code label_index}, which
 * {@code featurize} carries on to the features table, and a run finds through its pool ({@code params.pool}).
 */
public final class LabelNames {

    private LabelNames() {}

    /** {@code 0=P, 1=N}: each id with its label. */
    public static String describe(List<String> labels) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            parts.add(i + "=" + labels.get(i));
        }
        return String.join(", ", parts);
    }

    /** The {@code label_index} object of a table's manifest, or empty. */
    public static Optional<JsonObject> index(String dir, Configuration hadoop) {
        return manifest(dir, hadoop).flatMap(LabelNames::indexOf);
    }

    /** The labels by id of a table, or of a run through the pool table its params name; empty when none were indexed. */
    public static List<String> of(String dir, Configuration hadoop) {
        return of(manifest(dir, hadoop), hadoop);
    }

    /** The same for a manifest already read (a run's pool table is read only when the run itself has no index). */
    public static List<String> of(Optional<JsonObject> manifest, Configuration hadoop) {
        Optional<JsonObject> index = manifest.flatMap(LabelNames::indexOf);
        if (index.isEmpty() && manifest.isPresent() && manifest.get().has("params") && manifest.get().get("params").isJsonObject()) {
            JsonElement pool = manifest.get().getAsJsonObject("params").get("pool");
            if (pool != null && pool.isJsonPrimitive()) {
                index = index(pool.getAsString(), hadoop);
            }
        }
        List<String> labels = new ArrayList<>();
        index.ifPresent(i -> i.getAsJsonArray("labels").forEach(e -> labels.add(e.getAsString())));
        return labels;
    }

    private static Optional<JsonObject> indexOf(JsonObject manifest) {
        JsonElement e = manifest.get(IngestJob.LABEL_INDEX);
        return e != null && e.isJsonObject() ? Optional.of(e.getAsJsonObject()) : Optional.empty();
    }

    private static Optional<JsonObject> manifest(String dir, Configuration hadoop) {
        try {
            return TableManifest.read(dir, hadoop);
        } catch (RuntimeException e) { // a catalog table name, or an unreadable manifest: no names to show
            return Optional.empty();
        }
    }
}
