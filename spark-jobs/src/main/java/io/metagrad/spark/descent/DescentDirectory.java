package io.metagrad.spark.descent;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.metagrad.spark.io.AtomicFiles;
import io.metagrad.spark.io.Json;
import io.metagrad.spark.io.OutputGuard;
import io.metagrad.spark.io.TableManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The run directory of a descent job, on any Hadoop filesystem:
 * <pre>
 *   _metagrad.json                      the run: params, inputs, versions
 *   state.json                          {@link DescentState}, rewritten after every step
 *   metrics.jsonl                       one JSON line per completed step (step 0 = the start)
 *   iterates/step=NNNNN/z.npy           the iterate z_s (float64)
 *   iterates/step=NNNNN/gradient.npy    its metagradient g_s
 *   …                                   the job's outputs, once all steps are done
 * </pre>
 * Every file is written whole and replaced atomically through {@link AtomicFiles}. A step is complete once {@code state.json}
 * names it; whatever a crash left beyond it is redone.
 */
public final class DescentDirectory {

    static final String STATE = "state.json";
    static final String METRICS = "metrics.jsonl";
    static final String ITERATES = "iterates";

    private static final Gson PRETTY = new GsonBuilder().disableHtmlEscaping().setPrettyPrinting().create();

    private final Path root;
    private final FileSystem fs;
    private final Configuration hadoop;

    private DescentDirectory(Path root, FileSystem fs, Configuration hadoop) {
        this.root = root;
        this.fs = fs;
        this.hadoop = hadoop;
    }

    public static DescentDirectory at(String output, Configuration hadoop) {
        try {
            Path p = new Path(output);
            FileSystem fs = p.getFileSystem(hadoop);
            return new DescentDirectory(fs.makeQualified(p), fs, hadoop);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open output " + output, e);
        }
    }

    public String path() {
        return root.toString();
    }

    Configuration hadoop() {
        return hadoop;
    }

    /** A path inside the run directory, e.g. for the job's outputs. */
    public String resolve(String name) {
        return new Path(root, name).toString();
    }

    /** Writes one of the job's small output files (a report, a PNG) whole. */
    public void writeFile(String name, byte[] bytes) {
        AtomicFiles.write(new Path(root, name), bytes, hadoop);
    }

    /** What is at the directory's path ({@link OutputGuard.Kind}). */
    OutputGuard.Kind kind() {
        return OutputGuard.kindOf(root.toString(), hadoop);
    }

    /** The job named by the directory's {@code _metagrad.json} ({@code stage}), if it has one. */
    Optional<String> manifestJob() {
        return TableManifest.read(root.toString(), hadoop).filter(m -> m.has("stage")).map(m -> m.get("stage").getAsString());
    }

    /**
     * Whether everything here could have been written by a descent run killed before its first checkpoint:
     * the manifest, iterates, metrics and the temporaries of {@link AtomicFiles} — nothing a finished output holds.
     */
    boolean onlyHoldsDescentFiles() {
        try {
            for (FileStatus s : fs.listStatus(root)) {
                String name = s.getPath().getName();
                boolean temporary = name.startsWith(".") && name.contains(".tmp-");
                if (!(temporary || name.equals(ITERATES) || name.equals(METRICS) || name.equals(TableManifest.FILE_NAME))) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    /** Removes what a run killed before its first checkpoint left (iterates, metrics), keeping the manifest. */
    void clearUnfinishedStart() {
        try {
            fs.delete(new Path(root, ITERATES), true);
            AtomicFiles.delete(new Path(root, METRICS), hadoop);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + root, e);
        }
    }

    /**
     * Removes what a run that failed before its first checkpoint wrote: the directory itself when the run made it,
     * else only the run's files (the directory was there before, empty or holding a killed start).
     */
    void removeUnfinishedStart(boolean createdByThisRun) {
        clearUnfinishedStart();
        try {
            if (createdByThisRun) {
                fs.delete(root, true);
            } else {
                AtomicFiles.delete(new Path(root, STATE), hadoop);
                AtomicFiles.delete(new Path(root, TableManifest.FILE_NAME), hadoop);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root, e);
        }
    }

    /** Lists what the directory holds, for refusal messages. */
    String describeContent() {
        try {
            StringBuilder b = new StringBuilder();
            for (FileStatus s : fs.listStatus(root)) {
                b.append(b.length() == 0 ? "" : ", ").append(s.getPath().getName());
                if (b.length() > 80) {
                    return b.append(", …").toString();
                }
            }
            return b.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    Optional<DescentState> readState() {
        Path file = new Path(root, STATE);
        Optional<byte[]> bytes = AtomicFiles.read(file, hadoop);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        try {
            DescentState s = PRETTY.fromJson(new String(bytes.get(), StandardCharsets.UTF_8), DescentState.class);
            if (s == null || !DescentState.SCHEMA.equals(s.schema())) {
                throw new IllegalArgumentException(file + " is not a " + DescentState.SCHEMA + " file");
            }
            return Optional.of(s);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    void writeState(DescentState state) {
        AtomicFiles.write(new Path(root, STATE), (PRETTY.toJson(state) + "\n").getBytes(StandardCharsets.UTF_8), hadoop);
    }

    /** The metrics lines of steps {@code 0..upTo}, in step order. */
    public List<JsonObject> readMetrics(int upTo) {
        Path file = new Path(root, METRICS);
        String text = AtomicFiles.read(file, hadoop).map(b -> new String(b, StandardCharsets.UTF_8)).orElseThrow(() ->
                new IllegalArgumentException("run " + root + " has " + STATE + " but no " + METRICS + "; pass --overwrite to start over"));
        List<JsonObject> out = new ArrayList<>();
        int line = 0;
        for (String l : text.split("\n")) {
            line++;
            if (l.isBlank()) {
                continue;
            }
            JsonObject m;
            try {
                m = Json.parse(l).getAsJsonObject();
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(file + " line " + line + " is not a JSON object: " + e.getMessage(), e);
            }
            if (m.get("step").getAsInt() <= upTo) {
                if (m.get("step").getAsInt() != out.size()) {
                    throw new IllegalArgumentException(file + " lacks the line of step " + out.size() + "; pass --overwrite to start over");
                }
                out.add(m);
            }
        }
        if (out.size() != upTo + 1) {
            throw new IllegalArgumentException(file + " has " + out.size() + " steps; " + STATE + " says " + (upTo + 1));
        }
        return out;
    }

    void writeMetrics(List<JsonObject> metrics) {
        StringBuilder b = new StringBuilder();
        for (JsonObject m : metrics) {
            b.append(Json.compact(m)).append('\n');
        }
        AtomicFiles.write(new Path(root, METRICS), b.toString().getBytes(StandardCharsets.UTF_8), hadoop);
    }

    private Path stepDir(int step) {
        return new Path(new Path(root, ITERATES), String.format("step=%05d", step));
    }

    /** Writes {@code z_s} and its metagradient. */
    void writeIterate(int step, double[] z, double[] gradient) {
        AtomicFiles.write(new Path(stepDir(step), "z.npy"), Float64Npy.write(z), hadoop);
        AtomicFiles.write(new Path(stepDir(step), "gradient.npy"), Float64Npy.write(gradient), hadoop);
    }

    /** {@code z_s} (which {@code "z"}) or its metagradient ({@code "gradient"}). */
    public double[] readIterate(int step, String which) {
        Path file = new Path(stepDir(step), which + ".npy");
        byte[] bytes = AtomicFiles.read(file, hadoop).orElseThrow(() -> new IllegalArgumentException(
                "run " + root + " lacks " + file + "; pass --overwrite to start over"));
        return Float64Npy.read(bytes, file.toString());
    }

    /** Deletes the iterates of every step but {@code keep} (this run's own files). */
    void pruneIterates(Set<Integer> keep) {
        try {
            Path dir = new Path(root, ITERATES);
            if (!fs.exists(dir)) {
                return;
            }
            for (FileStatus s : fs.listStatus(dir)) {
                String name = s.getPath().getName();
                if (name.matches("step=\\d{5}") && !keep.contains(Integer.parseInt(name.substring(5)))) {
                    fs.delete(s.getPath(), true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prune " + root + "/" + ITERATES, e);
        }
    }

    /** Writes the run's own {@code _metagrad.json}. */
    void writeManifest(TableManifest manifest) {
        try {
            fs.mkdirs(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + root, e);
        }
        manifest.writeTo(root.toString(), hadoop);
    }
}
