package io.metagrad.spark.poison;

import com.google.gson.JsonObject;
import io.metagrad.spark.report.Plots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The audit's report: what was poisoned and how the downstream model did, clean vs poisoned, as JSON, Markdown and PNG. */
final class PoisonReport {

    private PoisonReport() {}

    static Map<String, Object> of(PoisonParams params, PoisonData d, InputConstraint constraint, Poison poison,
            Downstream.Outcome scores, double poisonSeconds) {
        int[] rows = d.rows();
        int classes = d.classes();
        int width = d.train().width();
        double[] original = d.trainData().featureRows(rows);
        int relabeled = 0;
        double change = 0;
        for (int r = 0; r < rows.length; r++) {
            relabeled += poison.label(r, classes) != d.train().label(rows[r]) ? 1 : 0;
            double d2 = 0;
            for (int j = 0; j < width; j++) {
                double v = poison.features()[r * width + j] - original[r * width + j];
                d2 += v * v;
            }
            change += Math.sqrt(d2) / rows.length;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", params.method().cliName());
        m.put("train_rows", d.train().size());
        m.put("poisoned_rows", rows.length);
        m.put("fraction", (double) rows.length / d.train().size());
        m.put("constraint", constraint == null ? null : constraint.describe());
        m.put("rows_relabeled", relabeled);
        m.put("mean_feature_change_l2", change);
        m.put("eval_seeds", params.evalSeeds());
        m.put("clean", summary(scores.clean()));
        m.put("poisoned", summary(scores.poisoned()));
        double[] drop = new double[scores.clean().size()];
        for (int e = 0; e < drop.length; e++) {
            drop[e] = scores.clean().get(e).testAccuracy() - scores.poisoned().get(e).testAccuracy();
        }
        m.put("accuracy_drop", stats(drop));
        m.put("method_details", poison.details());
        m.put("poison_seconds", poisonSeconds);
        m.put("downstream_seconds", scores.seconds());
        m.put("params", params.describe());
        return m;
    }

    private static Map<String, Object> summary(List<Downstream.Scores> s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("test_accuracy", stats(s.stream().mapToDouble(Downstream.Scores::testAccuracy).toArray()));
        m.put("test_loss", stats(s.stream().mapToDouble(Downstream.Scores::testLoss).toArray()));
        m.put("validation_loss", stats(s.stream().mapToDouble(Downstream.Scores::validationLoss).toArray()));
        return m;
    }

    /** Mean, sample standard deviation and the values, per evaluation seed. */
    static Map<String, Object> stats(double[] v) {
        double mean = 0;
        for (double x : v) {
            mean += x / v.length;
        }
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", mean);
        m.put("std", v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0.0);
        m.put("per_seed", v);
        return m;
    }

    @SuppressWarnings("unchecked")
    private static double get(Map<String, Object> report, String part, String metric, String what) {
        Map<String, Object> p = part == null ? report : (Map<String, Object>) report.get(part);
        return ((Number) ((Map<String, Object>) p.get(metric)).get(what)).doubleValue();
    }

    static String markdown(Map<String, Object> r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "# poison: %s, %d of %d training rows (%.1f %%)%n%n", r.get("method"),
                r.get("poisoned_rows"), r.get("train_rows"), 100 * ((Number) r.get("fraction")).doubleValue()));
        b.append(String.format(Locale.ROOT, "Rows relabeled: %d; mean L2 change of their features: %.4f.%n%n",
                r.get("rows_relabeled"), ((Number) r.get("mean_feature_change_l2")).doubleValue()));
        b.append("| mean ± std over ").append(r.get("eval_seeds")).append(" evaluation seeds | clean | poisoned | change |\n");
        b.append("|---|---|---|---|\n");
        for (String[] metric : new String[][] {{"test_accuracy", "test accuracy"}, {"test_loss", "test loss"},
            {"validation_loss", "validation loss"}}) {
            b.append(String.format(Locale.ROOT, "| %s | %.4f ± %.4f | %.4f ± %.4f | %+.4f |%n", metric[1],
                    get(r, "clean", metric[0], "mean"), get(r, "clean", metric[0], "std"), get(r, "poisoned", metric[0], "mean"),
                    get(r, "poisoned", metric[0], "std"), get(r, "poisoned", metric[0], "mean") - get(r, "clean", metric[0], "mean")));
        }
        b.append(String.format(Locale.ROOT, "%nAccuracy drop (paired by seed): %.4f ± %.4f.%n", get(r, null, "accuracy_drop", "mean"),
                get(r, null, "accuracy_drop", "std")));
        @SuppressWarnings("unchecked")
        Map<String, Object> details = (Map<String, Object>) r.get("method_details");
        if (!details.isEmpty()) {
            b.append("\nMethod details: ");
            List<String> parts = new ArrayList<>();
            details.forEach((k, v) -> parts.add(k + " = " + (v instanceof Double x ? String.format(Locale.ROOT, "%.6g", x) : v)));
            b.append(String.join(", ", parts)).append(".\n");
        }
        return b.toString();
    }

    /** One line: clean and poisoned accuracy and the drop. */
    static String summaryLine(Map<String, Object> r) {
        return String.format(Locale.ROOT, "%s: test accuracy %.4f (clean) → %.4f (poisoned), drop %.4f ± %.4f over %s seeds",
                r.get("method"), get(r, "clean", "test_accuracy", "mean"), get(r, "poisoned", "test_accuracy", "mean"),
                get(r, null, "accuracy_drop", "mean"), get(r, null, "accuracy_drop", "std"), r.get("eval_seeds"));
    }

    /** What {@code mgd poison} prints. */
    static String summary(PoisonJob.Result result) {
        if (!result.finished()) {
            return "stopped after MGD step " + result.completedStep() + "; rerun the same command to continue";
        }
        return summaryLine(result.report()) + System.lineSeparator() + "outputs: " + result.output()
                + "/{poisoned/,report.json,report.md,accuracy.png}";
    }

    /**
     * MGD: the replica-mean test accuracy over the MGD steps, with the downstream clean and poisoned
     * means as flat lines; a baseline: clean vs poisoned bars with ± std.
     */
    static byte[] accuracyPlot(Map<String, Object> r, List<JsonObject> metrics) {
        double clean = get(r, "clean", "test_accuracy", "mean");
        double poisoned = get(r, "poisoned", "test_accuracy", "mean");
        if (metrics == null) {
            Map<String, double[]> bars = new LinkedHashMap<>();
            double cs = get(r, "clean", "test_accuracy", "std");
            double ps = get(r, "poisoned", "test_accuracy", "std");
            bars.put("clean", new double[] {clean, clean - cs, clean + cs});
            bars.put(String.valueOf(r.get("method")), new double[] {poisoned, poisoned - ps, poisoned + ps});
            return Plots.barsWithIntervals("Test accuracy, clean vs poisoned (mean ± std over evaluation seeds)", bars);
        }
        int n = metrics.size();
        double[] steps = new double[n];
        double[] accuracy = new double[n];
        for (int s = 0; s < n; s++) {
            steps[s] = s;
            accuracy[s] = metrics.get(s).getAsJsonObject("metrics").get("test_accuracy").getAsDouble();
        }
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("test accuracy, replica seeds", new double[][] {steps, accuracy});
        series.put("clean, evaluation seeds", new double[][] {{0, n - 1}, {clean, clean}});
        series.put("best poison, evaluation seeds", new double[][] {{0, n - 1}, {poisoned, poisoned}});
        return Plots.lines("Test accuracy over MGD-DP steps", "MGD step", series, false);
    }
}
