package io.metagrad.spark.tune;

import com.google.gson.JsonObject;
import io.metagrad.spark.JobMain;
import io.metagrad.spark.Progress;
import io.metagrad.spark.descent.DescentDirectory;
import io.metagrad.spark.descent.DescentLoop;
import io.metagrad.spark.descent.DescentOutput;
import io.metagrad.spark.io.AtomicOutput;
import io.metagrad.spark.report.RunReport;
import io.metagrad.spark.io.Json;
import io.metagrad.spark.io.OutputGuard;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.select.JobSession;
import io.metagrad.spark.train.ScheduleFile;
import io.metagrad.spark.train.Splits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Learning-rate-schedule tuning (method.md §4, hyperparameter optimization): MGD takes the exact
 * metagradient of the validation loss after training with respect to every step's learning rate
 * (and the weight decay), maps it to the knots of a piecewise-linear schedule and to log space by
 * the chain rule, and steps there — checkpointed and resumable like {@code select}. The baselines
 * train a grid of schedules or random ones, one Spark task each. The chosen schedule is retrained
 * with evaluation seeds and scored on the validation and test rows; compute is reported in
 * training-run equivalents.
 *
 * <p>Outputs under {@code --output}: {@code schedule.json} (a {@code --lr-schedule file:…} value for
 * every training job), {@code report.json}, {@code report.md}, {@code schedule.png},
 * {@code validation.png}; for MGD the run's {@code state.json}, {@code metrics.jsonl} and
 * {@code iterates/}; for the baselines {@code candidates.jsonl}.
 *
 * <p>{@code spark-submit --class io.metagrad.spark.tune.TuneJob spark-jobs-*.jar --train … --validation … --test … --output …}
 */
public final class TuneJob {

    private static final Logger LOG = LoggerFactory.getLogger(TuneJob.class);
    static final String JOB = "tune-lr";
    static final String SCHEDULE = "schedule.json";

    /**
     * What a run did.
     *
     * @param finished whether the schedule is chosen and scored (false when MGD stopped early on purpose)
     * @param report the contents of {@code report.json} (null when not finished)
     */
    public record Result(String output, TuneMethod method, boolean finished, int completedStep, Map<String, Object> report) {

        /** The {@code schedule.json} to pass as {@code --lr-schedule file:PATH}. */
        public String schedulePath() {
            return new org.apache.hadoop.fs.Path(output, SCHEDULE).toString();
        }
    }

    /** One searched schedule and how it did (search seed). */
    record Tried(int index, Candidate candidate, TuneData.Scores scores) {}

    private TuneJob() {}

    public static Result run(SparkSession spark, TuneParams params) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        OutputGuard.requireApart(JOB, Map.of("--output", params.output()), inputOptions(params), hadoop);
        Splits splits = Splits.read(spark, params.train(), params.validation(), params.test(), params.training(), params.knobs(),
                params.classes());
        TuneData data = new TuneData(splits.train(), splits.validation(), splits.test(), splits.spec());
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        try (Progress progress = Progress.start(spark, JOB)) {
            return params.method() == TuneMethod.MGD ? mgd(jsc, params, splits, data, hadoop, progress)
                    : search(jsc, params, data, hadoop, progress);
        }
    }

    private static Result mgd(JavaSparkContext jsc, TuneParams params, Splits splits, TuneData data, Configuration hadoop,
            Progress progress) {
        int steps = params.training().steps();
        TuneSpace space = new TuneSpace(new KnotSchedule(steps, params.effectiveKnots()), params.lrRange(),
                params.tuneWeightDecay(), params.wdRange());
        DescentLoop.Spec spec = new DescentLoop.Spec(JOB, params.descent(), params.resumeParams(), splits.fingerprints(),
                TableManifest.of(JOB, "tune_run/v1").params(params.describe()).inputs(inputs(params))
                        .put("input_sha256", splits.fingerprints()), true);
        DescentOutput out = DescentOutput.open(params.output(), params.overwrite(), hadoop);
        DescentDirectory dir = out.dir();
        DescentLoop.requireResumable(dir, spec);
        Broadcast<TuneData> shared = jsc.broadcast(data);
        try {
            TuneObjective objective = new TuneObjective(jsc, shared, space, params.replicas(), params.replayK());
            double[] start = space.start(data.config(0).schedule().rates(steps), params.training().weightDecay());
            DescentLoop.Result r = DescentLoop.run(dir, objective, start, spec, LOG::info);
            if (!r.finished()) {
                out.commit();
                return new Result(out.path(), TuneMethod.MGD, false, r.completedStep(), null);
            }
            double[] rates = space.rates(r.bestZ());
            Double lambda = space.tunesWeightDecay() ? space.weightDecay(r.bestZ()) : null;
            progress.step("best schedule at MGD step " + r.bestStep() + "; retraining it with " + params.evalSeeds() + " seeds");
            List<TuneData.Scores> eval = evaluate(jsc, shared, rates, lambda, params.evalSeeds());
            double taskSeconds = 0;
            for (JsonObject m : r.metrics()) {
                taskSeconds += m.getAsJsonObject("metrics").get("task_seconds").getAsDouble();
            }
            Map<String, Object> search = new LinkedHashMap<>();
            search.put("best_step", r.bestStep());
            search.put("mgd_steps", r.plannedSteps());
            search.put("knots", space.schedule().knots());
            search.put("validation_loss", r.bestValue());
            search.put("start_validation_loss", r.metrics().get(0).get("value").getAsDouble());
            Map<String, Object> report = TuneReport.of(params, rates, lambda, eval, search,
                    TuneReport.compute("metagradients", r.metrics().size() * params.replicas(), taskSeconds, eval));
            List<double[]> shown = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (int s : TuneReport.shownSteps(r.plannedSteps(), r.bestStep())) {
                shown.add(space.rates(dir.readIterate(s, "z")));
                names.add(s == r.bestStep() ? "MGD step " + s + " (best)" : "MGD step " + s);
            }
            write(dir, params, rates, lambda, report, TuneReport.schedulePlot("Learning rate over training, by MGD step", names, shown),
                    TuneReport.validationPlot(r.metrics()));
            RunReport.writeInto(dir.path(), params.output(), hadoop);
            out.commit();
            LOG.info("tune-lr: {}", TuneReport.summaryLine(report));
            return new Result(out.path(), TuneMethod.MGD, true, r.completedStep(), report);
        } catch (Exception e) { // also SparkException, a checked exception Scala throws unchecked
            out.abort();
            throw e;
        } finally {
            shared.destroy();
        }
    }

    private static Result search(JavaSparkContext jsc, TuneParams params, TuneData data, Configuration hadoop, Progress progress) {
        AtomicOutput out = AtomicOutput.to(params.output(), hadoop, params.overwrite());
        Broadcast<TuneData> shared = jsc.broadcast(data);
        try {
            int steps = params.training().steps();
            List<Candidate> candidates = params.method() == TuneMethod.GRID
                    ? SearchSpace.grid(params.peaks(), params.warmups(), params.finals())
                    : SearchSpace.random(params.trials(), params.seed(), params.lrRange()[0], params.lrRange()[1], params.warmups(),
                            params.finals());
            progress.step("training " + candidates.size() + " " + params.method().cliName() + " schedules, one task each");
            List<Tried> tried = train(jsc, shared, candidates, steps);
            Tried best = tried.stream().min(Comparator.comparingDouble((Tried t) -> rank(t.scores().validationLoss()))
                    .thenComparingInt(Tried::index)).orElseThrow();
            if (!Double.isFinite(best.scores().validationLoss())) {
                throw new IllegalArgumentException("tune-lr: every one of the " + candidates.size() + " searched schedules diverged ("
                        + best.scores().diverged() + "); lower " + (params.method() == TuneMethod.GRID ? "--grid-peaks" : "--lr-range")
                        + " or --batch-size, or set --grad-clip");
            }
            double[] rates = best.candidate().rates(steps);
            progress.step("best: " + best.candidate() + "; retraining it with " + params.evalSeeds() + " seeds");
            List<TuneData.Scores> eval = evaluate(jsc, shared, rates, null, params.evalSeeds());
            double taskSeconds = tried.stream().mapToDouble(t -> t.scores().seconds()).sum();
            Map<String, Object> search = new LinkedHashMap<>();
            search.put("candidates", candidates.size());
            search.put("best_candidate", best.index());
            search.put("best", best.candidate().describe());
            search.put("validation_loss", best.scores().validationLoss());
            search.put("diverged", tried.stream().filter(t -> !Double.isFinite(t.scores().validationLoss())).count());
            Map<String, Object> report = TuneReport.of(params, rates, null, eval, search,
                    TuneReport.compute("training_runs", candidates.size(), taskSeconds, eval));
            List<Tried> top = tried.stream().sorted(Comparator.comparingDouble((Tried t) -> rank(t.scores().validationLoss()))
                    .thenComparingInt(Tried::index)).limit(5).toList();
            DescentDirectory dir = DescentDirectory.at(out.stagingPath(), hadoop);
            write(dir, params, rates, null, report, TuneReport.schedulePlot("The 5 best " + params.method().cliName()
                    + " schedules (validation loss)", top.stream().map(t -> String.format(java.util.Locale.ROOT, "%.4f: %s",
                    t.scores().validationLoss(), t.candidate())).toList(), top.stream().map(t -> t.candidate().rates(steps)).toList()),
                    TuneReport.candidatesPlot(tried));
            dir.writeFile("candidates.jsonl", TuneReport.candidatesJsonl(tried).getBytes(StandardCharsets.UTF_8));
            TableManifest.of(JOB, "tune_run/v1").params(params.describe()).inputs(inputs(params)).writeTo(out.stagingPath(), hadoop);
            RunReport.writeInto(out.stagingPath(), params.output(), hadoop);
            out.commit();
            LOG.info("tune-lr: {}", TuneReport.summaryLine(report));
            return new Result(out.destination().toString(), params.method(), true, 0, report);
        } catch (Exception e) { // also SparkException, a checked exception Scala throws unchecked
            out.abort();
            throw e;
        } finally {
            shared.destroy();
        }
    }

    /** A diverged schedule (non-finite validation loss) ranks last. */
    private static double rank(double loss) {
        return Double.isFinite(loss) ? loss : Double.POSITIVE_INFINITY;
    }

    /** Trains every candidate with the search seed (offset 0), one Spark task each; results in candidate order. */
    private static List<Tried> train(JavaSparkContext jsc, Broadcast<TuneData> shared, List<Candidate> candidates, int steps) {
        List<Tuple2<Integer, Candidate>> jobs = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            jobs.add(new Tuple2<>(i, candidates.get(i)));
        }
        jsc.setJobDescription("tune-lr: " + jobs.size() + " schedules");
        List<Tuple2<Integer, TuneData.Scores>> scores = new ArrayList<>(jsc.parallelize(jobs, jobs.size())
                .map(j -> new Tuple2<>(j._1(), shared.value().scoreOrDiverged(j._2().rates(steps), null, 0))).collect());
        jsc.setJobDescription(null);
        scores.sort(Comparator.comparingInt(Tuple2::_1));
        List<Tried> out = new ArrayList<>();
        for (Tuple2<Integer, TuneData.Scores> s : scores) {
            out.add(new Tried(s._1(), candidates.get(s._1()), s._2()));
        }
        return out;
    }

    /** Retrains a schedule with the evaluation seeds, one Spark task each, in seed order. */
    private static List<TuneData.Scores> evaluate(JavaSparkContext jsc, Broadcast<TuneData> shared, double[] rates, Double lambda,
            int seeds) {
        jsc.setJobDescription("tune-lr: " + seeds + " evaluation trainings");
        List<Tuple2<Integer, TuneData.Scores>> scores = new ArrayList<>(jsc.parallelize(IntStream.range(0, seeds).boxed().toList(),
                seeds).map(e -> new Tuple2<>(e, shared.value().score(rates, lambda, TuneParams.EVAL_SEED_OFFSET + e))).collect());
        jsc.setJobDescription(null);
        scores.sort(Comparator.comparingInt(Tuple2::_1));
        return scores.stream().map(Tuple2::_2).toList();
    }

    private static void write(DescentDirectory dir, TuneParams params, double[] rates, Double lambda, Map<String, Object> report,
            byte[] schedulePng, byte[] validationPng) {
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("made_by", JOB + " --method " + params.method().cliName());
        provenance.put("validation_loss", ((Map<?, ?>) report.get("search")).get("validation_loss"));
        dir.writeFile(SCHEDULE, ScheduleFile.json(rates, lambda, provenance).getBytes(StandardCharsets.UTF_8));
        report.put("flags", TuneReport.flags(params, params.output(), lambda));
        dir.writeFile("report.json", (Json.pretty(report) + "\n").getBytes(StandardCharsets.UTF_8));
        dir.writeFile("report.md", TuneReport.markdown(report).getBytes(StandardCharsets.UTF_8));
        dir.writeFile("schedule.png", schedulePng);
        dir.writeFile("validation.png", validationPng);
    }

    private static Map<String, String> inputOptions(TuneParams params) {
        Map<String, String> in = new LinkedHashMap<>();
        in.put("--train", params.train());
        in.put("--validation", params.validation());
        in.put("--test", params.test());
        return in;
    }

    private static List<String> inputs(TuneParams params) {
        return List.of(params.train(), params.validation(), params.test());
    }

    /** What {@code mgd tune-lr} prints. */
    public static String summary(Result r) {
        if (!r.finished()) {
            return "stopped after MGD step " + r.completedStep() + "; rerun the same command to continue";
        }
        return TuneReport.summaryLine(r.report()) + System.lineSeparator() + "train with it: " + r.report().get("flags")
                + System.lineSeparator() + "outputs: " + r.output() + "/{schedule.json,report.json,report.md,schedule.png,validation.png}";
    }

    /** {@code spark-submit} entry point; same options and exit codes as {@code mgd tune-lr}. */
    public static void main(String[] args) {
        JobMain.run(JOB, args, new TuneOptions(), o -> {
            TuneParams params = o.toParams(); // before Spark starts, so bad values fail fast
            System.out.println(summary(run(JobSession.start("mgd tune-lr", o.conf()), params)));
        });
    }
}
