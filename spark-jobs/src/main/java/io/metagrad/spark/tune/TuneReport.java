package io.metagrad.spark.tune;

import com.google.gson.JsonObject;
import io.metagrad.spark.io.Json;
import io.metagrad.spark.report.Plots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** tune-lr's report: the chosen schedule, how it does on the evaluation seeds, and what finding it cost. */
final class TuneReport {

    private TuneReport() {}

    static Map<String, Object> of(TuneParams params, double[] rates, Double lambda, List<TuneData.Scores> eval,
            Map<String, Object> search, Map<String, Object> compute) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", params.method().cliName());
        m.put("train_steps", rates.length);
        m.put("search", search);
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("seeds", eval.size());
        e.put("validation_loss", stats(eval.stream().mapToDouble(TuneData.Scores::validationLoss).toArray()));
        e.put("test_loss", stats(eval.stream().mapToDouble(TuneData.Scores::testLoss).toArray()));
        e.put("test_accuracy", stats(eval.stream().mapToDouble(TuneData.Scores::testAccuracy).toArray()));
        m.put("evaluation", e);
        m.put("compute", compute);
        m.put("weight_decay", lambda != null ? lambda : params.training().weightDecay());
        m.put("weight_decay_tuned", lambda != null);
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (double r : rates) {
            min = Math.min(min, r);
            max = Math.max(max, r);
        }
        m.put("rate_min", min);
        m.put("rate_max", max);
        m.put("params", params.describe());
        return m;
    }

    /**
     * The search's cost: {@code units} (metagradients or training runs) and the wall time of its tasks,
     * in training-run equivalents — task seconds over the mean seconds of one plain training run, measured
     * by the evaluation tasks of the same job.
     */
    static Map<String, Object> compute(String unitName, int units, double taskSeconds, List<TuneData.Scores> eval) {
        double plain = eval.stream().mapToDouble(TuneData.Scores::seconds).average().orElse(Double.NaN);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(unitName, units);
        m.put("task_seconds", taskSeconds);
        m.put("plain_training_seconds", plain);
        m.put("training_run_equivalents", taskSeconds / plain);
        return m;
    }

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

    /** The command-line flags that train with the chosen schedule. */
    static String flags(TuneParams params, String output, Double lambda) {
        String dir = output.contains(":") ? output : new java.io.File(output).getAbsolutePath();
        String path = dir.startsWith("file:") ? dir.substring("file:".length()) : dir;
        return "--lr-schedule file:" + path + "/" + TuneJob.SCHEDULE + " --train-steps " + params.training().steps()
                + (lambda != null ? String.format(Locale.ROOT, " --weight-decay %.6g", lambda) : "");
    }

    @SuppressWarnings("unchecked")
    private static double get(Map<String, Object> r, String part, String metric, String what) {
        Map<String, Object> p = (Map<String, Object>) r.get(part);
        Object v = ((Map<String, Object>) p.get(metric)).get(what);
        return ((Number) v).doubleValue();
    }

    @SuppressWarnings("unchecked")
    private static double number(Map<String, Object> r, String part, String key) {
        return ((Number) ((Map<String, Object>) r.get(part)).get(key)).doubleValue();
    }

    static String markdown(Map<String, Object> r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "# tune-lr: %s, %s training steps%n%n", r.get("method"), r.get("train_steps")));
        b.append(String.format(Locale.ROOT, "Search: validation loss %.5f (search seeds); %s.%n%n",
                number(r, "search", "validation_loss"), Json.compact(r.get("search"))));
        b.append("| mean ± std over the evaluation seeds | value |\n|---|---|\n");
        for (String[] metric : new String[][] {{"validation_loss", "validation loss"}, {"test_loss", "test loss"},
            {"test_accuracy", "test accuracy"}}) {
            b.append(String.format(Locale.ROOT, "| %s | %.5f ± %.5f |%n", metric[1], get(r, "evaluation", metric[0], "mean"),
                    get(r, "evaluation", metric[0], "std")));
        }
        b.append(String.format(Locale.ROOT, "%nCompute: %.1f training-run equivalents (%s).%n",
                number(r, "compute", "training_run_equivalents"), Json.compact(r.get("compute"))));
        b.append(String.format(Locale.ROOT, "%nRates from %.4g to %.4g; weight decay %.4g%s.%n%nTrain with it: `%s`%n",
                ((Number) r.get("rate_min")).doubleValue(), ((Number) r.get("rate_max")).doubleValue(),
                ((Number) r.get("weight_decay")).doubleValue(), Boolean.TRUE.equals(r.get("weight_decay_tuned")) ? " (tuned)" : "",
                r.get("flags")));
        return b.toString();
    }

    static String summaryLine(Map<String, Object> r) {
        return String.format(Locale.ROOT, "%s: validation loss %.5f ± %.5f, test loss %.5f ± %.5f over %d seeds;"
                + " search %.1f training-run equivalents", r.get("method"), get(r, "evaluation", "validation_loss", "mean"),
                get(r, "evaluation", "validation_loss", "std"), get(r, "evaluation", "test_loss", "mean"),
                get(r, "evaluation", "test_loss", "std"), (int) number(r, "evaluation", "seeds"),
                number(r, "compute", "training_run_equivalents"));
    }

    /** The MGD steps whose schedules the PNG shows: 0, quarters, the last and the best. */
    static List<Integer> shownSteps(int steps, int best) {
        TreeSet<Integer> s = new TreeSet<>(List.of(0, steps / 4, steps / 2, 3 * steps / 4, steps, best));
        return new ArrayList<>(s);
    }

    static byte[] schedulePlot(String title, List<String> names, List<double[]> schedules) {
        Map<String, double[][]> series = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            double[] r = schedules.get(i);
            double[] t = new double[r.length];
            for (int j = 0; j < t.length; j++) {
                t[j] = j;
            }
            series.put(names.get(i), new double[][] {t, r});
        }
        return Plots.lines(title, "training step", series, true);
    }

    static byte[] validationPlot(List<JsonObject> metrics) {
        double[] s = new double[metrics.size()];
        double[] v = new double[metrics.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = i;
            v[i] = metrics.get(i).get("value").getAsDouble();
        }
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("validation loss (replica mean)", new double[][] {s, v});
        return Plots.lines("Validation loss over MGD steps", "MGD step", series, false);
    }

    /** The searched schedules' validation losses, best first (diverged ones left out). */
    static byte[] candidatesPlot(List<TuneJob.Tried> tried) {
        double[] v = tried.stream().mapToDouble(t -> t.scores().validationLoss()).filter(Double::isFinite).sorted().toArray();
        double[] x = new double[v.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("validation loss of each schedule, sorted", new double[][] {x, v});
        return Plots.lines("Searched schedules", "rank", series, false);
    }

    static String candidatesJsonl(List<TuneJob.Tried> tried) {
        StringBuilder b = new StringBuilder();
        for (TuneJob.Tried t : tried) {
            Map<String, Object> m = new LinkedHashMap<>(t.candidate().describe());
            m.put("index", t.index());
            m.put("validation_loss", Double.isFinite(t.scores().validationLoss()) ? t.scores().validationLoss() : null);
            m.put("test_loss", Double.isFinite(t.scores().testLoss()) ? t.scores().testLoss() : null);
            m.put("test_accuracy", Double.isFinite(t.scores().testAccuracy()) ? t.scores().testAccuracy() : null);
            m.put("seconds", t.scores().seconds());
            if (t.scores().diverged() != null) {
                m.put("diverged", t.scores().diverged());
            }
            b.append(Json.compact(m)).append('\n');
        }
        return b.toString();
    }
}
