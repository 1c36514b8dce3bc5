package io.metagrad.spark.curate;

import static org.apache.spark.sql.functions.col;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.metagrad.spark.io.AtomicFiles;
import io.metagrad.spark.io.AtomicOutput;
import io.metagrad.spark.io.Inputs;
import io.metagrad.spark.io.OutputGuard;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.io.TableSource;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * {@code mgd curate --npy}: a DataComp filtering-track submission of one select run (MGD or any
 * baseline): {@code subset.npy}, the selected uids as DataComp's sorted {@code [('f0','<u8'),('f1','<u8')]}
 * array ({@link DataCompSubset}), and {@code submission.json} (pool size, selected, fraction, the
 * method, its parameters and the command that made the selection). The uids are converted and
 * sorted by Spark and streamed to the file in order, one partition at a time: the driver never
 * holds the selection.
 */
public final class Submission {

    public static final String NPY = "subset.npy";
    public static final String SUMMARY = "submission.json";
    static final String OUTPUT_SCHEMA = "datacomp_submission/v1";
    private static final Gson PRETTY = new GsonBuilder().disableHtmlEscaping().serializeNulls().setPrettyPrinting().create();

    private Submission() {}

    /** What was written. */
    public record Result(String output, long poolSize, long selected, Map<String, Object> summary) {
        public String npyPath() { return new Path(output, NPY).toString(); }
        public String summaryPath() { return new Path(output, SUMMARY).toString(); }
    }

    /** Writes the submission of {@code params.selection()} (a run directory) for the pool {@code params.input()}. */
    public static Result run(SparkSession spark, CurateParams params) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        TableSource.require(spark, params.input(), "curate.input");
        String selectionTable = new Path(params.selection(), "selection").toString();
        Inputs.requireTable(selectionTable, "curate.selection", hadoop);
        OutputGuard.requireApart("curate", Map.of("--output", params.output()),
                Map.of("--input", params.input(), "--selection", params.selection()), hadoop);
        AtomicOutput out = AtomicOutput.to(params.output(), hadoop, params.overwrite());
        try {
            Dataset<Row> pool = TableSource.rows(spark, params.input()).select(col("uid"));
            Dataset<Row> selected = spark.read().parquet(selectionTable).select(col("uid"));
            List<Row> missing = selected.join(pool, selected.col("uid").equalTo(pool.col("uid")), "left_anti").limit(1).collectAsList();
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("selection " + selectionTable + " has uid " + missing.get(0).getString(0)
                        + ", which is not in input table " + params.input() + " (give the pool the selection was made from)");
            }
            Map<String, Object> summary = writeInto(spark, out.stagingPath(), params.input(), pool.count(), params.selection(),
                    selectionTable, "mgd", null, hadoop);
            long written = (Long) summary.get("selected");
            TableManifest.of("curate:npy", OUTPUT_SCHEMA).params(params.describe())
                    .inputs(List.of(params.input(), selectionTable)).rowCount(written).put("files", List.of(NPY, SUMMARY))
                    .writeTo(out.stagingPath(), hadoop);
            out.commit();
            return new Result(out.destination().toString(), (Long) summary.get("pool_size"), written, summary);
        } catch (Exception e) { // also SparkException, a checked exception Scala throws unchecked
            out.abort();
            throw e;
        }
    }

    /**
     * Writes {@code subset.npy} and {@code submission.json} of one select run into {@code dir}, a directory inside the
     * caller's staging output ({@code curate --npy}'s own, or {@code evaluate --submissions}'): the caller commits.
     *
     * @param pool the pool the selection was made from (named in the summary), of {@code poolSize} rows
     * @param selectRun the select run as the summary names it (where it is once committed)
     * @param selectionTable its {@code selection/} table as it is now, with its manifest
     * @param method the method to record when the selection's manifest names none (MGD's runs)
     * @param command the command to record when the selection's manifest has none, else null
     * @return the summary written
     */
    public static Map<String, Object> writeInto(SparkSession spark, String dir, String pool, long poolSize, String selectRun,
            String selectionTable, String method, String command, Configuration hadoop) {
        JsonObject manifest = TableManifest.read(selectionTable, hadoop).orElse(new JsonObject());
        JsonObject selectParams = Optional.ofNullable(manifest.get("params")).filter(JsonElement::isJsonObject)
                .map(JsonElement::getAsJsonObject).orElseThrow(() -> new IllegalArgumentException(
                        "selection " + selectionTable + " has no " + TableManifest.FILE_NAME + " with its parameters; rerun select"));
        long[] written = writeNpy(spark.read().parquet(selectionTable).select(col("uid")), new Path(dir, NPY), hadoop);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("pool_size", poolSize);
        summary.put("selected", written[0]);
        summary.put("fraction", poolSize == 0 ? 0.0 : (double) written[0] / poolSize);
        summary.put("method", selectParams.has("method") ? selectParams.get("method").getAsString() : method);
        summary.put("params", selectParams);
        // filter and baseline runs keep their command in params, MGD runs beside them (params must match on resume)
        summary.put("command", selectParams.has("command") ? selectParams.get("command").getAsString()
                : manifest.has("command") ? manifest.get("command").getAsString() : command);
        summary.put("select_run", selectRun);
        summary.put("pool", pool);
        summary.put("npy", NPY);
        summary.put("npy_dtype", "[('f0', '<u8'), ('f1', '<u8')]");
        summary.put("npy_uids_hashed", written[1]);
        AtomicFiles.writeText(new Path(dir, SUMMARY).toString(), PRETTY.toJson(summary) + "\n", hadoop);
        return summary;
    }

    /**
     * Writes the uids as a sorted DataComp {@code .npy}: Spark splits each uid into its unsigned halves
     * ({@link DataCompSubset#halves}) and sorts them (unsigned order = signed order with the top bit
     * flipped); the rows then stream to the file. Returns {rows, uids hashed}.
     */
    private static long[] writeNpy(Dataset<Row> uids, Path file, Configuration hadoop) {
        var high = functions.udf((UDF1<String, Long>) u -> DataCompSubset.halves(u)[0], DataTypes.LongType);
        var low = functions.udf((UDF1<String, Long>) u -> DataCompSubset.halves(u)[1], DataTypes.LongType);
        var hashed = functions.udf((UDF1<String, Integer>) u -> DataCompSubset.isHexUid(u) ? 0 : 1, DataTypes.IntegerType);
        Dataset<Row> halves = uids.select(high.apply(col("uid")).as("high"), low.apply(col("uid")).as("low"),
                hashed.apply(col("uid")).as("hashed"));
        Row counts = halves.agg(functions.count(functions.lit(1)), functions.sum(col("hashed"))).first();
        long rows = counts.getLong(0);
        long hashedCount = counts.isNullAt(1) ? 0 : counts.getLong(1);
        if (rows > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a DataComp subset of " + rows + " rows is beyond one .npy header here");
        }
        Iterator<Row> sorted = halves.orderBy(col("high").bitwiseXOR(Long.MIN_VALUE), col("low").bitwiseXOR(Long.MIN_VALUE))
                .select(col("high"), col("low")).toLocalIterator();
        try {
            FileSystem fs = file.getFileSystem(hadoop);
            try (OutputStream out = new BufferedOutputStream(fs.create(file, false), 1 << 16)) {
                out.write(DataCompSubset.header((int) rows));
                ByteBuffer pair = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
                long n = 0;
                while (sorted.hasNext()) {
                    Row r = sorted.next();
                    pair.clear();
                    pair.putLong(r.getLong(0)).putLong(r.getLong(1));
                    out.write(pair.array());
                    n++;
                }
                if (n != rows) {
                    throw new IllegalStateException("the selection changed while it was written (" + n + " of " + rows + " rows)");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return new long[] {rows, hashedCount};
    }
}
