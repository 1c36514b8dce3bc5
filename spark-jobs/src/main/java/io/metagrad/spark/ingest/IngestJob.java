package io.metagrad.spark.ingest;

import static org.apache.spark.sql.functions.col;

import io.metagrad.spark.JobMain;
import io.metagrad.spark.Progress;
import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.io.AtomicOutput;
import io.metagrad.spark.io.OutputGuard;
import io.metagrad.spark.io.ParquetFiles;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.schema.Table;
import io.metagrad.spark.schema.TableSchemas;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code mgd ingest}: reads Parquet, JSONL, CSV or DataComp shards (metadata Parquet + .npz
 * embeddings) into a validated pool table, sharded into N Parquet files.
 *
 * <p>Every record is checked: uid present, well-formed and unique; each field of the right type;
 * vectors finite, non-empty and of one length per column; pixels in [0, 1]; images PNG or JPEG.
 * With {@link OnBad#FAIL} the first bad row (in file/row order) stops the job with its file, row
 * and field, and nothing is written. With {@link OnBad#QUARANTINE} bad rows go to a separate
 * table with the reason, and the count is reported. Nothing is dropped silently.
 *
 * <p>Run as {@code mgd ingest …} or {@code spark-submit --class io.metagrad.spark.ingest.IngestJob app.jar …}.
 */
public final class IngestJob {

    /** Schema id of the quarantine table in {@code _metagrad.json}. */
    public static final String QUARANTINE_SCHEMA = "ingest-quarantine/v1";

    private IngestJob() {}

    public static void main(String[] args) {
        JobMain.run("ingest", args, new IngestOptions(),
                o -> System.out.println(run(SparkSessions.getOrCreate("mgd ingest"), o.toParams()).summary()));
    }

    /** Runs the ingest; throws {@link IllegalArgumentException} for bad input (naming file, row, field). */
    public static IngestResult run(SparkSession spark, IngestParams p) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        InputFiles inputs = InputFiles.list(spark, p.inputs(), p.format());
        List<OutputGuard.Named> outputs = List.of(new OutputGuard.Named("--output", p.output()),
                new OutputGuard.Named("--quarantine", p.onBad() == OnBad.QUARANTINE ? p.quarantine() : null));
        OutputGuard.requireApart("ingest", outputs, inputs.readPaths(p.inputs()), hadoop);
        AtomicOutput out = AtomicOutput.to(p.output(), hadoop, p.overwrite());
        AtomicOutput quarantine = p.onBad() == OnBad.QUARANTINE ? AtomicOutput.to(p.quarantine(), hadoop, p.overwrite()) : null;
        if (!p.keepColumns().isEmpty() && inputs.format() != InputFormat.DATACOMP) {
            throw new IllegalArgumentException("ingest --keep-column keeps DataComp metadata columns: it needs --format datacomp"
                    + " (the inputs are " + inputs.format().name().toLowerCase() + ")");
        }
        IngestSource source = IngestSource.of(inputs.format(), p.keepColumns());
        Dataset<Row> checked = null;
        try (Progress progress = Progress.start(spark, "ingest")) {
            progress.step("reading " + inputs.files().size() + " " + inputs.format().name().toLowerCase() + " file(s)");
            CheckRules rules = new CheckRules(p.require(), p.ignoreUnknown());
            Dataset<Row> rows = source.read(oneTaskPerFile(spark), inputs.files(), rules);
            List<IngestChecks.Dimension> dims = IngestChecks.dimensions(rows);
            checked = IngestChecks.flagDuplicates(IngestChecks.flagLengths(rows, dims)).persist(StorageLevel.MEMORY_AND_DISK());
            Dataset<Row> bad = checked.filter(col("_error").isNotNull());
            long allRows = checked.count();
            if (allRows == 0 && !p.allowEmpty()) {
                throw new IllegalArgumentException("the input holds no rows (" + String.join(", ", inputs.files())
                        + "); --allow-empty writes an empty pool");
            }
            long badRows = bad.count();
            progress.step("checked the rows: " + badRows + " bad");
            if (badRows > 0 && p.onBad() == OnBad.FAIL) {
                Row first = bad.orderBy("_file", "_row").first();
                throw new IllegalArgumentException(describe(first) + (badRows > 1 ? " (" + badRows + " bad rows in all" : " (1 bad row")
                        + "; --on-bad quarantine sets bad rows aside)");
            }
            List<String> embeddings = new ArrayList<>();
            for (IngestChecks.Dimension d : dims) {
                if (d.field().startsWith(TableSchemas.EMBEDDING_PREFIX)) {
                    embeddings.add(d.field().substring(TableSchemas.EMBEDDING_PREFIX.length()));
                }
            }
            Dataset<Row> pool = poolColumns(checked.filter(col("_error").isNull()), presentMetadata(checked), embeddings,
                    source.keptColumns());
            TableSchemas.validate(pool, Table.POOL, p.output()); // what we write is what readers accept
            progress.step("writing " + p.shards() + " shard(s) to " + out.destination());
            pool.repartition(p.shards(), col("uid")).sortWithinPartitions("uid").write().parquet(out.stagingPath());
            long written = ParquetFiles.rowCount(out.stagingPath(), hadoop);
            TableManifest.of("ingest", Table.POOL).params(p).inputs(inputs.files()).rowCount(written)
                    .put("format", inputs.format().name().toLowerCase()).put("embeddings", embeddings)
                    .put("ignored_columns", source.ignoredColumns()).put("kept_columns", keptNames(source))
                    .put("bad_rows", badRows)
                    .put("quarantine", quarantine == null ? null : quarantine.destination().toString())
                    .writeTo(out.stagingPath(), hadoop);
            if (quarantine != null) {
                writeQuarantine(bad, quarantine, p, inputs, badRows, hadoop);
            }
            out.commit();
            if (quarantine != null) {
                quarantine.commit();
            }
            return new IngestResult(out.destination().toString(), written, ParquetFiles.fileCount(out.destination().toString(), hadoop),
                    badRows, quarantine == null ? null : quarantine.destination().toString(), embeddings, source.ignoredColumns());
        } catch (Exception e) { // also SparkException, a checked exception Scala throws unchecked
            out.abort();
            if (quarantine != null) {
                quarantine.abort();
            }
            throw e;
        } finally {
            if (checked != null) {
                checked.unpersist();
            }
        }
    }

    /** "FILE row N field 'F': ERROR", as in every ingest error. */
    static String describe(Row bad) {
        String field = bad.getAs("_field");
        return bad.getAs("_file") + " row " + bad.getAs("_row") + (field == null ? "" : " field '" + field + "'") + ": "
                + bad.getAs("_error");
    }

    /**
     * A session that reads each input file as one task, whole and in order, so that readers can
     * number rows within their file (JSONL, CSV) and load one .npz per shard (DataComp).
     */
    private static SparkSession oneTaskPerFile(SparkSession spark) {
        SparkSession s = spark.newSession();
        // the catalogs configured at run time (e.g. by CatalogTables) are per session: keep them
        scala.collection.JavaConverters.mapAsJavaMap(spark.conf().getAll()).forEach((k, v) -> {
            if (k.startsWith("spark.sql.catalog.")) {
                s.conf().set(k, v);
            }
        });
        String huge = String.valueOf(1L << 40);
        s.conf().set("spark.sql.files.maxPartitionBytes", huge);
        s.conf().set("spark.sql.files.openCostInBytes", huge);
        return s;
    }

    /**
     * The DataComp metadata fields ({@link #METADATA}) that some row carries: only those become columns, so
     * that a pool without such metadata has the columns it always had.
     */
    private static List<String> presentMetadata(Dataset<Row> checked) {
        Row counts = checked.agg(functions.count(col(METADATA.get(0))),
                METADATA.stream().skip(1).map(f -> functions.count(col(f))).toArray(Column[]::new)).first();
        List<String> present = new ArrayList<>();
        for (int i = 0; i < METADATA.size(); i++) {
            if (counts.getLong(i) > 0) {
                present.add(METADATA.get(i));
            }
        }
        return present;
    }

    /** The optional metadata fields of pool/v1 (DataComp's), written only when some row has a value. */
    static final List<String> METADATA = List.of("clip_b32_similarity_score", "clip_l14_similarity_score", "original_width",
            "original_height", "sha256");

    private static List<String> keptNames(IngestSource source) {
        return source.keptColumns().stream().map(org.apache.spark.sql.types.StructField::name).toList();
    }

    private static Dataset<Row> poolColumns(Dataset<Row> good, List<String> metadata, List<String> embeddings,
            List<org.apache.spark.sql.types.StructField> kept) {
        List<Column> columns = new ArrayList<>();
        for (String f : Table.POOL.schema().fieldNames()) {
            if (!METADATA.contains(f) || metadata.contains(f)) {
                columns.add(col(f));
            }
        }
        for (String e : embeddings) {
            columns.add(col("embeddings").getItem(e).as(TableSchemas.EMBEDDING_PREFIX + e));
        }
        for (org.apache.spark.sql.types.StructField k : kept) { // the mark tells pool readers the column was kept on purpose
            columns.add(col("`" + k.name() + "`").as(k.name(), k.metadata()));
        }
        return good.select(columns.toArray(new Column[0]));
    }

    private static void writeQuarantine(Dataset<Row> bad, AtomicOutput quarantine, IngestParams p, InputFiles inputs,
            long badRows, Configuration hadoop) {
        List<Column> columns = new ArrayList<>(List.of(col("_file").as("file"), col("_row").as("row"),
                col("_field").as("field"), col("_error").as("error"), col("_record").as("record")));
        for (String f : Table.POOL.schema().fieldNames()) {
            columns.add(col(f));
        }
        columns.add(col("embeddings"));
        bad.select(columns.toArray(new Column[0])).orderBy("file", "row").coalesce(1).write().parquet(quarantine.stagingPath());
        TableManifest.of("ingest", QUARANTINE_SCHEMA).params(p).inputs(inputs.files()).rowCount(badRows)
                .writeTo(quarantine.stagingPath(), hadoop);
    }
}
