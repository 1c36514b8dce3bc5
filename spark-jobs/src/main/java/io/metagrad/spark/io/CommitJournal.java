package io.metagrad.spark.io;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * {@code .NAME.commit.json} beside a destination: written (atomically) before a commit moves anything,
 * removed when it is done. Its presence means a commit was interrupted; the next run that writes the
 * destination rolls it forward (the staged output was complete before the journal was written).
 *
 * @param staging name of the complete staging directory (a sibling of the destination)
 * @param backup name the old output is moved to, or null when there was none
 * @param phase {@link #ASIDE} while the old output is moved away, {@link #INSTALL} while the new one moves in
 */
record CommitJournal(String staging, String backup, String phase) {

    static final String SCHEMA = "mgd_commit/v1";
    static final String ASIDE = "aside";
    static final String INSTALL = "install";

    CommitJournal withPhase(String p) {
        return new CommitJournal(staging, backup, p);
    }

    void write(Path file, Configuration hadoop) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", SCHEMA);
        m.put("staging", staging);
        m.put("backup", backup);
        m.put("phase", phase);
        AtomicFiles.writeText(file.toString(), Json.pretty(m) + "\n", hadoop);
    }

    static Optional<CommitJournal> read(Path file, Configuration hadoop) {
        Optional<String> text = AtomicFiles.readText(file.toString(), hadoop);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonElement e = Json.parse(text.get());
            JsonObject o = e.getAsJsonObject();
            if (!o.has("schema") || !SCHEMA.equals(o.get("schema").getAsString()) || !o.has("staging")) {
                throw new IllegalStateException(file + " is not a " + SCHEMA + " journal");
            }
            String backup = o.has("backup") && !o.get("backup").isJsonNull() ? o.get("backup").getAsString() : null;
            return Optional.of(new CommitJournal(o.get("staging").getAsString(), backup, o.get("phase").getAsString()));
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
            throw new IllegalStateException("commit journal " + file + " is unreadable (" + e.getMessage()
                    + "); inspect the directories it names beside it and remove it", e);
        }
    }
}
