package io.metagrad.spark.featurize;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.schema.Table;
import org.apache.hadoop.conf.Configuration;

/**
 * A features table whose fitted featurizer state is reused ({@code --fitted-from}): its
 * {@code _metagrad.json} says which featurizer made it and with which parameters, and
 * {@code _featurizer/} holds larger state (the IDF model).
 */
record FittedReference(String path, String featurizer, JsonObject params) {

    /** Directory inside a features table that holds fitted state. */
    static final String STATE_DIR = "_featurizer";

    static FittedReference read(String path, Configuration hadoop) {
        TableManifest.requireSchema(path, hadoop, Table.FEATURES, Table.TARGETS);
        JsonObject manifest = TableManifest.read(path, hadoop).orElseThrow(() -> new IllegalArgumentException(
                "featurize --fitted-from " + path + ": no " + TableManifest.FILE_NAME + " there (is it a features table?)"));
        JsonElement featurizer = manifest.get("featurizer");
        JsonElement params = manifest.get("featurizer_params");
        if (featurizer == null || params == null || !params.isJsonObject()) {
            throw new IllegalArgumentException("featurize --fitted-from " + path + ": its " + TableManifest.FILE_NAME
                    + " does not record a featurizer (not made by mgd featurize?)");
        }
        return new FittedReference(path, featurizer.getAsString(), params.getAsJsonObject());
    }

    /** Checks that the reference was made by {@code expected}; returns this. */
    FittedReference require(String expected) {
        if (!featurizer.equals(expected)) {
            throw new IllegalArgumentException("featurize --fitted-from " + path + " was made by " + featurizer
                    + ", not " + expected);
        }
        return this;
    }

    /** A numeric parameter of the reference. */
    double number(String key) {
        JsonElement e = params.get(key);
        if (e == null || !e.isJsonPrimitive()) {
            throw new IllegalArgumentException("featurize --fitted-from " + path + ": featurizer_params has no '" + key + "'");
        }
        return e.getAsDouble();
    }

    /** Where the reference will be once committed, when it sits inside a staged output (a split of featurize --split). */
    String shownPath() {
        return io.metagrad.spark.io.AtomicOutput.committedPath(path);
    }

    String stateDir() {
        return path + "/" + STATE_DIR;
    }
}
