package io.metagrad.spark.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.metagrad.spark.io.AtomicFiles;
import io.metagrad.spark.io.Json;
import io.metagrad.spark.show.RunInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The results part of a report, by the kind of run: the Markdown tables and PNG plots each job already
 * writes (evaluate, validate, poison, tune-lr), and for the runs that write none, tables and plots made
 * from what they do write (an MGD select run's {@code metrics.jsonl}, attribute's target losses).
 */
final class KindSections {

    /** The most rows of a per-step or per-target table shown; the rest is in the run's own files. */
    static final int MAX_ROWS = 200;

    private final RunInfo run;
    private final Path dir;
    private final Configuration hadoop;

    KindSections(RunInfo run, Path dir, Configuration hadoop) {
        this.run = run;
        this.dir = dir;
        this.hadoop = hadoop;
    }

    /** Appends the results of the run to {@code page}. */
    void appendTo(Html page) {
        String stage = run.stage() == null ? "" : run.stage();
        switch (stage) {
            case "evaluate" -> files(page, "evaluate.md", "evaluate.png", "evaluate-balanced.png");
            case "validate" -> files(page, "lds.md", "lds.png", "target0-scatter.png");
            case "poison" -> files(page, "report.md", "accuracy.png", "images.png");
            case "tune-lr" -> files(page, "report.md", "schedule.png", "validation.png");
            case "select" -> mgdSteps(page);
            case "attribute" -> targetLosses(page);
            default -> {
                if (stage.startsWith("select:")) {
                    page.heading("Selection").paragraph(run.selectionRows() < 0 ? "No selection/ table."
                            : run.selectionRows() + " items in selection/ (uid, count).");
                } else {
                    page.note("No result tables are known for a " + run.kind() + "; its parameters and provenance follow.");
                }
            }
        }
    }

    /** The job's own Markdown, then its plots, each only when the run has it (a run stopped early has fewer). */
    private void files(Html page, String markdown, String... pngs) {
        page.heading("Results");
        Optional<String> md = AtomicFiles.readText(new Path(dir, markdown).toString(), hadoop);
        md.ifPresentOrElse(text -> MarkdownText.append(page, text), () -> page.note("No " + markdown + " (the run did not finish)."));
        for (String png : pngs) {
            AtomicFiles.read(new Path(dir, png), hadoop).ifPresent(bytes -> page.png(png, bytes));
        }
    }

    /** An MGD run step by step: the losses of models trained on each iterate (plot and table), items kept. */
    private void mgdSteps(Html page) {
        page.heading("MGD steps");
        Optional<String> text = AtomicFiles.readText(new Path(dir, "metrics.jsonl").toString(), hadoop);
        if (text.isEmpty() || text.get().isBlank()) {
            page.note("No metrics.jsonl yet: the run has not completed a step.");
            return;
        }
        List<JsonObject> steps = new ArrayList<>();
        for (String line : text.get().split("\\R")) {
            if (!line.isBlank()) {
                steps.add(Json.parse(line).getAsJsonObject());
            }
        }
        double[] x = new double[steps.size()];
        double[] target = new double[steps.size()];
        double[] heldout = new double[steps.size()];
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            JsonObject s = steps.get(i);
            x[i] = number(s, "step");
            target[i] = number(s, "target_loss");
            heldout[i] = number(s, "heldout_loss");
            if (i < MAX_ROWS) {
                rows.add(List.of(cell(s, "step"), cell(s, "target_loss"), cell(s, "heldout_loss"), cell(s, "heldout_accuracy"),
                        cell(s, "kept"), cell(s, "changed"), cell(s, "seconds")));
            }
        }
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("target loss", new double[][] {x, target});
        series.put("held-out loss", new double[][] {x, heldout});
        page.png("MGD: loss of models trained on each iterate", Plots.lines("Loss of models trained on each MGD iterate",
                "MGD step", series, false));
        page.paragraph("Best step (lowest held-out loss; its counts are selection/): " + run.steps().getOrDefault("best", -1)
                + ". Selection: " + (run.selectionRows() < 0 ? "not written yet (the run has not finished)" : run.selectionRows()
                + " items") + ".");
        page.table(List.of("step", "target loss", "held-out loss", "held-out accuracy", "kept", "changed", "seconds"), rows);
        if (steps.size() > MAX_ROWS) {
            page.note("First " + MAX_ROWS + " of " + steps.size() + " steps; all are in metrics.jsonl.");
        }
    }

    /** attribute: the loss of each target under the model trained on all data; the scores are Parquet tables. */
    private void targetLosses(Html page) {
        page.heading("Targets");
        JsonElement losses = run.manifest().get("target_losses");
        if (losses == null || !losses.isJsonArray()) {
            page.note("The manifest records no target losses.");
            return;
        }
        JsonArray a = losses.getAsJsonArray();
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < Math.min(a.size(), MAX_ROWS); i++) {
            rows.add(List.of(Integer.toString(i), format(a.get(i).getAsDouble())));
        }
        page.paragraph(a.size() + " targets; every training example's exact influence on each is in scores/ (target_uid,"
                + " train_uid, score), the most influential per target in top/.");
        page.table(List.of("target", "loss after training on all data"), rows);
    }

    private static double number(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e == null || e.isJsonNull() ? Double.NaN : e.getAsDouble();
    }

    private static String cell(JsonObject o, String field) {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) {
            return "";
        }
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            double v = e.getAsDouble();
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : format(v);
        }
        return e.getAsString();
    }

    static String format(double v) {
        return String.format(Locale.ROOT, "%.5g", v);
    }
}
