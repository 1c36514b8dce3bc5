package io.metagrad.spark.io;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/** JSON with sorted keys, so that what jobs write (parameters, manifests) is byte-stable. */
public final class Json {

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues().create();
    private static final Gson PRETTY = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues()
            .setPrettyPrinting().create();

    private Json() {}

    /** Any value (records, maps, lists, numbers…) as a JSON tree with sorted object keys. */
    public static JsonElement tree(Object value) {
        return sorted(value instanceof JsonElement e ? e : GSON.toJsonTree(value));
    }

    /** One-line JSON with sorted keys. */
    public static String compact(Object value) {
        return GSON.toJson(tree(value));
    }

    /** Indented JSON with sorted keys. */
    public static String pretty(Object value) {
        return PRETTY.toJson(tree(value));
    }

    /** Parses JSON text. */
    public static JsonElement parse(String text) {
        return com.google.gson.JsonParser.parseString(text);
    }

    private static JsonElement sorted(JsonElement e) {
        if (e.isJsonObject()) {
            Map<String, JsonElement> entries = new TreeMap<>();
            for (Map.Entry<String, JsonElement> entry : e.getAsJsonObject().entrySet()) {
                entries.put(entry.getKey(), sorted(entry.getValue()));
            }
            JsonObject out = new JsonObject();
            entries.forEach(out::add);
            return out;
        }
        if (e.isJsonArray()) {
            JsonArray out = new JsonArray();
            e.getAsJsonArray().forEach(x -> out.add(sorted(x)));
            return out;
        }
        return e;
    }
}
