package io.metagrad.spark.select;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import static org.apache.spark.sql.functions.col;

import io.metagrad.spark.io.AtomicOutput;
import io.metagrad.spark.io.ParquetFiles;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.stream.ItemInts;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The output directory of a select run, on any Hadoop filesystem:
 * <pre>
 *   _metagrad.json          the run: params, inputs, versions
 *   state.json              {@link RunState}, rewritten after every step
 *   metrics.jsonl           one {@link StepMetrics} line per completed step
 *   steps/step=NNNNN/       counts and metagradients of each step (mgd_step/v1), committed atomically,
 *                           with _counts/ (the counts as a compact per-item array, for tasks)
 *   layout/                 the pool laid out in training order (signed steps: once per run)
 *   layouts/step=NNNNN/     the kept items laid out for one prune step (removed once the step is done)
 *   grads/step=NNNNN/       the replicas' metagradient contributions of one step (removed once it is done)
 *   selection/              the final selection (selection/v1), once all steps are done
 * </pre>
 * A step is complete once {@code state.json} says so; anything a crash left beyond it is redone.
 */
final class RunDirectory {

    static final String STATE = "state.json";
    static final String METRICS = "metrics.jsonl";
    static final String STEPS = "steps";
    static final String SELECTION = "selection";
    static final String LAYOUT = "layout";
    static final String LAYOUTS = "layouts";
    static final String GRADS = "grads";
    static final String COUNTS = "_counts";

    private static final Gson LINE = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();
    private static final Gson PRETTY = new GsonBuilder().disableHtmlEscaping().setPrettyPrinting().create();

    private final Path root;
    private final FileSystem fs;
    private final Configuration hadoop;

    private RunDirectory(Path root, FileSystem fs, Configuration hadoop) {
        this.root = root;
        this.fs = fs;
        this.hadoop = hadoop;
    }

    static RunDirectory at(String output, Configuration hadoop) {
        try {
            Path p = new Path(output);
            FileSystem fs = p.getFileSystem(hadoop);
            return new RunDirectory(fs.makeQualified(p), fs, hadoop);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open output " + output, e);
        }
    }

    String path() {
        return root.toString();
    }

    String stepPath(int step) {
        return new Path(new Path(root, STEPS), String.format("step=%05d", step)).toString();
    }

    String selectionPath() {
        return new Path(root, SELECTION).toString();
    }

    /** The compact counts of a committed step, for tasks ({@link io.metagrad.spark.stream.ItemInts}). */
    String countsPath(int step) {
        return new Path(stepPath(step), COUNTS).toString();
    }

    /** The run's layout of the whole pool. */
    String layoutPath() {
        return new Path(root, LAYOUT).toString();
    }

    /** The layout of the items one prune step trains on. */
    String stepLayoutPath(int step) {
        return new Path(new Path(root, LAYOUTS), String.format("step=%05d", step)).toString();
    }

    /** Where the replicas of a step write their metagradient contributions. */
    String gradientsPath(int step) {
        return new Path(new Path(root, GRADS), String.format("step=%05d", step)).toString();
    }

    /** Removes something this run wrote under its directory and no longer needs (a step's layout or gradients). */
    void deleteScratch(String path) {
        Path p = new Path(path);
        if (!p.toString().startsWith(root.toString() + "/")) {
            throw new IllegalArgumentException(path + " is not inside the run directory " + root);
        }
        try {
            fs.delete(p, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + p, e);
        }
    }

    String metricsPath() {
        return new Path(root, METRICS).toString();
    }

    /** Whether the directory exists and holds anything. */
    boolean hasContent() {
        try {
            return fs.exists(root) && fs.listStatus(root).length > 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    /** Whether the selection table has been committed. */
    boolean hasSelection() {
        try {
            return fs.exists(new Path(root, SELECTION));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    /**
     * Whether everything here could have been written by a select run that stopped before its state
     * was first written (hidden temporaries, {@code steps/}, {@code metrics.jsonl}, the manifest).
     */
    boolean onlyHoldsSelectFiles() {
        try {
            if (!fs.exists(root)) {
                return false;
            }
            for (FileStatus s : fs.listStatus(root)) {
                String name = s.getPath().getName();
                if (!(name.startsWith(".") || name.equals(STEPS) || name.equals(METRICS) || name.equals(TableManifest.FILE_NAME)
                        || name.equals(LAYOUT) || name.equals(LAYOUTS) || name.equals(GRADS))) {
                    return false;
                }
                if (name.equals(STEPS)) {
                    for (FileStatus step : fs.listStatus(s.getPath())) {
                        String n = step.getPath().getName();
                        if (!(n.startsWith(".") || n.matches("step=\\d{5}"))) {
                            return false;
                        }
                    }
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    /** Removes the directory and everything in it. */
    void delete() {
        try {
            fs.delete(root, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    /** The state, if a select run wrote one here. */
    Optional<RunState> readState() {
        Path file = new Path(root, STATE);
        Optional<String> text = readText(file);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            RunState s = PRETTY.fromJson(text.get(), RunState.class);
            if (s == null || !RunState.SCHEMA.equals(s.schema())) {
                throw new IllegalArgumentException(file + " is not a " + RunState.SCHEMA + " file");
            }
            return Optional.of(s);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    void writeState(RunState state) {
        writeText(new Path(root, STATE), PRETTY.toJson(state) + "\n");
    }

    /** The metrics lines of steps {@code 0..upTo}. */
    List<StepMetrics> readMetrics(int upTo) {
        Path file = new Path(root, METRICS);
        String text = readText(file).orElseThrow(() -> new IllegalArgumentException(
                "select output " + root + " has " + STATE + " but no " + METRICS + "; pass --overwrite to start over"));
        List<StepMetrics> out = new ArrayList<>();
        int line = 0;
        for (String l : text.split("\n")) {
            line++;
            if (l.isBlank()) {
                continue;
            }
            StepMetrics m;
            try {
                m = LINE.fromJson(l, StepMetrics.class);
            } catch (JsonParseException e) {
                throw new IllegalArgumentException(file + " line " + line + " is not valid JSON: " + e.getMessage(), e);
            }
            if (m.step() <= upTo) {
                out.add(m);
            }
        }
        for (int s = 0; s < out.size(); s++) {
            if (out.get(s).step() != s) {
                throw new IllegalArgumentException(file + " lacks the line of step " + s + "; pass --overwrite to start over");
            }
        }
        if (out.size() != upTo + 1) {
            throw new IllegalArgumentException(file + " has " + out.size() + " steps; " + STATE + " says " + (upTo + 1));
        }
        return out;
    }

    void writeMetrics(List<StepMetrics> metrics) {
        StringBuilder b = new StringBuilder();
        for (StepMetrics m : metrics) {
            b.append(LINE.toJson(m)).append('\n');
        }
        writeText(new Path(root, METRICS), b.toString());
    }

    /**
     * Commits one step table (replacing what a crash may have left there): {@code table} with the
     * columns of {@link SelectTables#MGD_STEP} (others are dropped), and its counts as a compact
     * per-item array under {@code _counts/}.
     */
    void writeStep(int step, Dataset<Row> table, long poolSize, TableManifest manifest) {
        AtomicOutput out = AtomicOutput.to(stepPath(step), hadoop, true);
        try {
            Dataset<Row> columns = table.select(SelectTables.columns(SelectTables.MGD_STEP));
            columns.write().parquet(out.stagingPath());
            ItemInts.write(table.select(col("row"), col("count").as("value")), new Path(out.stagingPath(), COUNTS).toString(),
                    poolSize, hadoop);
            manifest.rowCount(poolSize).writeTo(out.stagingPath(), hadoop);
            out.commit();
        } catch (RuntimeException e) {
            out.abort();
            throw e;
        }
    }

    /** A committed step's table ({@link SelectTables#MGD_STEP}). */
    Dataset<Row> readStep(SparkSession spark, int step) {
        return spark.read().schema(SelectTables.MGD_STEP).parquet(stepPath(step));
    }

    /** Commits the selection table. */
    void writeSelection(Dataset<Row> rows, TableManifest manifest) {
        AtomicOutput out = AtomicOutput.to(selectionPath(), hadoop, true);
        try {
            rows.coalesce(1).write().parquet(out.stagingPath());
            manifest.rowCount(ParquetFiles.rowCount(out.stagingPath(), hadoop)).writeTo(out.stagingPath(), hadoop);
            out.commit();
        } catch (RuntimeException e) {
            out.abort();
            throw e;
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

    private Optional<String> readText(Path file) {
        try (InputStream in = fs.open(file)) {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (FileNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Writes a small file whole: to a hidden temporary name, then renamed over the old one. */
    private void writeText(Path file, String text) {
        Path temp = new Path(file.getParent(), "." + file.getName() + ".tmp-" + UUID.randomUUID());
        try {
            fs.mkdirs(file.getParent());
            try (OutputStream o = fs.create(temp, false)) {
                o.write(text.getBytes(StandardCharsets.UTF_8));
            }
            FileContext.getFileContext(file.toUri(), hadoop).rename(temp, file, Options.Rename.OVERWRITE);
        } catch (IOException e) {
            try {
                fs.delete(temp, false);
            } catch (IOException ignored) {
                // best effort; the name is hidden from readers
            }
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Lists what a non-select directory holds, for the refusal message. */
    String describeContent() {
        try {
            StringBuilder b = new StringBuilder();
            for (FileStatus s : fs.listStatus(root)) {
                b.append(b.length() == 0 ? "" : ", ").append(s.getPath().getName());
                if (b.length() > 80) {
                    b.append(", …");
                    break;
                }
            }
            return b.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }
}
