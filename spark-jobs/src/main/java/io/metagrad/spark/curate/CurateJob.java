package io.metagrad.spark.curate;

import static org.apache.spark.sql.functions.col;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.metagrad.spark.JobMain;
import io.metagrad.spark.io.AtomicFiles;
import io.metagrad.spark.io.AtomicOutput;
import io.metagrad.spark.io.Json;
import io.metagrad.spark.io.Inputs;
import io.metagrad.spark.io.OutputGuard;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.io.TableSource;
import io.metagrad.spark.select.JobSession;
import io.metagrad.spark.select.SelectRun;
import io.metagrad.spark.select.StepMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a selection — of a finished MGD select run, a baseline ({@code select --method}), an {@code evaluate} run's
 * {@code runs/*}, or a bare {@code selection/} table ({@link CuratedSelection}) — into deliverables, all committed at
 * once in one output directory:
 * <ul>
 *   <li>{@code curated/}: the input table's rows whose uid was selected (its columns, and {@value #COUNT_COLUMN}: the
 *       item's count in the selection, the weight training on the subset uses), sorted by uid — or, with
 *       {@link CurateFormat#ICEBERG}, those rows as one new snapshot of an Iceberg table ({@link IcebergCuration});</li>
 *   <li>{@code subset.npy}: the DataComp subset file of the selected uids ({@link DataCompSubset});</li>
 *   <li>{@code summary.json}: counts, target and held-out loss before and after, time per MGD step.</li>
 * </ul>
 * and {@code _metagrad.json} naming the three. Every selected uid must occur exactly once in the input.
 */
public final class CurateJob {

    private static final Logger LOG = LoggerFactory.getLogger(CurateJob.class);
    private static final Gson PRETTY = new GsonBuilder().disableHtmlEscaping().serializeNulls().setPrettyPrinting().create();

    /** File and directory names inside the output. */
    public static final String CURATED = "curated";
    public static final String NPY = "subset.npy";
    public static final String SUMMARY = "summary.json";
    /** Schema of the output directory's own {@code _metagrad.json}. */
    public static final String OUTPUT_SCHEMA = "curate_output/v1";
    /** Schema of {@code curated/}: the input's columns (its schema is recorded as {@code base_schema}) and the count. */
    public static final String CURATED_SCHEMA = "curated/v1";
    /** The column of {@code curated/} holding each item's count in the selection (>= 1). */
    public static final String COUNT_COLUMN = "selection_count";

    private CurateJob() {}

    /** What was written: paths under the committed output and the summary. */
    public record Result(String output, long inputRows, long selected, Map<String, Object> summary) {
        public String curatedPath() { return new Path(output, CURATED).toString(); }
        public String npyPath() { return new Path(output, NPY).toString(); }
        public String summaryPath() { return new Path(output, SUMMARY).toString(); }
    }

    public static Result run(SparkSession spark, CurateParams params) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        TableSource.require(spark, params.input(), "curate.input");
        Inputs.requireTable(params.selection(), "curate.selection", hadoop);
        OutputGuard.requireApart("curate", Map.of("--output", params.output()),
                Map.of("--input", params.input(), "--selection", params.selection()), hadoop);
        CuratedSelection run = CuratedSelection.open(params.selection(), hadoop);
        if (params.format() == CurateFormat.ICEBERG) {
            IcebergCuration.checkTarget(spark, params.table(), params.warehouse());
        }
        AtomicOutput out = AtomicOutput.to(params.output(), hadoop, params.overwrite());
        try {
            Result result = write(spark, params, run, out.stagingPath(), hadoop);
            out.commit();
            LOG.info("curate: {} of {} rows selected; wrote {}", result.selected(), result.inputRows(), out.destination());
            return new Result(out.destination().toString(), result.inputRows(), result.selected(), result.summary());
        } catch (Exception e) { // also SparkException, a checked exception Scala throws unchecked
            out.abort();
            throw e;
        }
    }

    private static Result write(SparkSession spark, CurateParams params, CuratedSelection run, String staging,
            Configuration hadoop) {
        Dataset<Row> input = TableSource.rows(spark, params.input());
        if (!Arrays.asList(input.columns()).contains("uid") || !input.schema().apply("uid").dataType().equals(DataTypes.StringType)) {
            throw new IllegalArgumentException("input table " + params.input() + ": field 'uid' (string) is missing");
        }
        Dataset<Row> selected = spark.read().parquet(run.selectionPath()).select(col("uid"), col("count"));
        spark.sparkContext().setJobDescription("curate: check input uids");
        long nullUids = input.filter(col("uid").isNull()).count();
        if (nullUids > 0) {
            throw new IllegalArgumentException("input table " + params.input() + ": field 'uid' is null on " + nullUids + " rows");
        }
        List<Row> duplicate = input.groupBy("uid").count().filter(col("count").gt(1)).limit(1).collectAsList();
        if (!duplicate.isEmpty()) {
            throw new IllegalArgumentException("input table " + params.input() + ": uid " + duplicate.get(0).getString(0)
                    + " appears " + duplicate.get(0).getLong(1) + " times; uids must be unique");
        }
        List<Row> missing = selected.join(input.select("uid"), scalaSeq("uid"), "left_anti").limit(1).collectAsList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("selection " + run.selectionPath() + " has uid " + missing.get(0).getString(0)
                    + ", which is not in input table " + params.input() + " (curate the table select was run on)");
        }
        spark.sparkContext().setJobDescription("curate: write curated rows");
        if (Arrays.asList(input.columns()).contains(COUNT_COLUMN)) {
            throw new IllegalArgumentException("input table " + params.input() + " already has a column '" + COUNT_COLUMN
                    + "', which curate adds (each item's count in the selection); curate the table select was run on");
        }
        Dataset<Row> curated = input.join(selected.select(col("uid"), col("count").as(COUNT_COLUMN)), scalaSeq("uid"))
                .select(curatedColumns(input)).orderBy("uid");
        long inputRows = input.count();
        List<String> uids = selected.select("uid").as(Encoders.STRING()).collectAsList();
        long totalCount = selected.agg(org.apache.spark.sql.functions.sum("count")).first().getLong(0);
        String runId = SelectRunId.of(run.params(), spark.read().parquet(run.selectionPath())
                .select("uid", "count", "rank", "metagrad").orderBy("rank").collectAsList());
        String baseSchema = inputSchema(spark, params.input());
        String schemaId = CURATED_SCHEMA;
        IcebergCuration.Snapshot snapshot = null;
        if (params.format() == CurateFormat.ICEBERG) {
            snapshot = IcebergCuration.commit(spark, curated, params.table(), params.warehouse(), schemaId,
                    snapshotSummary(params, run, runId, uids.size(), hadoop));
            LOG.info("curate: {} snapshot {} of {}", snapshot.committed() ? "committed" : "kept (already current)",
                    snapshot.snapshotId(), snapshot.table());
        } else {
            String curatedPath = new Path(staging, CURATED).toString();
            curated.write().parquet(curatedPath);
            TableManifest.of("curate", schemaId).params(params.describe())
                    .inputs(List.of(params.input(), run.selectionPath())).rowCount(uids.size())
                    .put("base_schema", baseSchema).put("count_column", COUNT_COLUMN).put("selection_kind", run.kind())
                    .put("select_run", params.selection()).put("select_run_id", runId).writeTo(curatedPath, hadoop);
        }

        DataCompSubset.Rows rows = DataCompSubset.rows(uids);
        ByteArrayOutputStream npy = new ByteArrayOutputStream();
        try {
            DataCompSubset.write(rows, npy);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + NPY, e);
        }
        AtomicFiles.write(new Path(staging, NPY).toString(), npy.toByteArray(), hadoop);
        Map<String, Object> summary = summary(params, run, inputRows, uids.size(), totalCount, rows.hashed());
        summary.put("select_run_id", runId);
        if (snapshot != null) {
            Map<String, Object> iceberg = new LinkedHashMap<>();
            iceberg.put("table", snapshot.table());
            iceberg.put("snapshot_id", snapshot.snapshotId());
            iceberg.put("committed_by_this_run", snapshot.committed());
            summary.put("iceberg", iceberg);
        }
        AtomicFiles.writeText(new Path(staging, SUMMARY).toString(), PRETTY.toJson(summary) + "\n", hadoop);
        TableManifest.of("curate", OUTPUT_SCHEMA).params(params.describe()).inputs(List.of(params.input(), run.selectionPath()))
                .rowCount(uids.size()).put("files", List.of(CURATED + "/", NPY, SUMMARY)).writeTo(staging, hadoop);
        spark.sparkContext().setJobDescription(null);
        return new Result(staging, inputRows, uids.size(), summary);
    }

    private static Map<String, Object> summary(CurateParams params, CuratedSelection selection, long inputRows, long selected,
            long totalCount, int hashed) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("selection_kind", selection.kind());
        s.put("input_rows", inputRows);
        s.put("selected", selected);
        s.put("dropped", inputRows - selected);
        s.put("selected_total_count", totalCount);
        selection.mgd().ifPresent(run -> mgdSummary(run, s));
        s.put("npy_uids_hashed", hashed);
        s.put("input", params.input());
        s.put("select_run", params.selection());
        return s;
    }

    /** The losses before and after and the time per step: what only an MGD run records. */
    private static void mgdSummary(SelectRun run, Map<String, Object> s) {
        StepMetrics before = run.initial();
        StepMetrics after = run.best();
        s.put("mgd_steps", run.mgdSteps());
        s.put("best_step", run.bestStep());
        s.put("target_loss", Map.of("before", before.targetLoss(), "after", after.targetLoss()));
        s.put("heldout_loss", Map.of("before", before.heldoutLoss(), "after", after.heldoutLoss()));
        if (before.heldoutAccuracy() != null) {
            s.put("heldout_accuracy", Map.of("before", before.heldoutAccuracy(), "after", after.heldoutAccuracy()));
        }
        double[] seconds = run.metrics().stream().skip(1).mapToDouble(StepMetrics::seconds).toArray();
        s.put("seconds_per_step", seconds);
        s.put("mean_seconds_per_step", Arrays.stream(seconds).average().orElse(0));
    }

    /** The input's columns with {@value #COUNT_COLUMN} after them. */
    private static org.apache.spark.sql.Column[] curatedColumns(Dataset<Row> input) {
        List<org.apache.spark.sql.Column> columns = new java.util.ArrayList<>();
        for (String c : input.columns()) {
            columns.add(col("`" + c + "`"));
        }
        columns.add(col(COUNT_COLUMN));
        return columns.toArray(new org.apache.spark.sql.Column[0]);
    }

    /** The schema id the input declares (e.g. {@code features/v1}), else {@code curated}. */
    private static String inputSchema(SparkSession spark, String input) {
        try {
            return TableSource.schemaId(spark, input).orElse("curated");
        } catch (RuntimeException e) {
            LOG.warn("curate: cannot read the schema id of {}: {}", input, e.getMessage());
            return "curated";
        }
    }

    /** The {@code metagrad.*} entries of the Iceberg snapshot: which select run, with which parameters, from which input. */
    private static Map<String, String> snapshotSummary(CurateParams params, CuratedSelection run, String runId, long selected,
            Configuration hadoop) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put(IcebergCuration.RUN_ID, runId);
        s.put("metagrad.select-run", params.selection());
        s.put("metagrad.select-kind", run.kind());
        s.put("metagrad.select-params", Json.compact(run.params()));
        run.mgd().ifPresent(mgd -> s.put("metagrad.select-best-step", String.valueOf(mgd.bestStep())));
        s.put("metagrad.selected", String.valueOf(selected));
        s.put("metagrad.curate-input", params.input());
        String version = CurateJob.class.getPackage().getImplementationVersion();
        s.put("metagrad.version", version == null ? "dev" : version);
        return s;
    }

    private static scala.collection.immutable.Seq<String> scalaSeq(String column) {
        return scala.collection.JavaConverters.asScalaBuffer(List.of(column)).toList();
    }

    /** {@code spark-submit} entry point; same options and exit codes as {@code mgd curate}. */
    public static void main(String[] args) {
        JobMain.run("curate", args, new CurateOptions(), o -> run(JobSession.start("mgd curate", Map.of()), o.toParams()));
    }
}
