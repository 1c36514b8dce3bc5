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
        List<IngestResult> results = runAll(spark, p);
        return results.size() == 1 && p.splits().isEmpty() ? results.get(0) : IngestResult.ofSplits(p.output(), results);
    }

    /**
     * Every path an ingest with {@code p} reads (the inputs as given, unless globs, and the files they name), for a job
     * that writes the pool inside an output of its own and must keep that output apart from them (mgd prepare).
     */
    public static List<OutputGuard.Named> readPaths(SparkSession spark, IngestParams p) {
        List<OutputGuard.Named> reads = new ArrayList<>();
        List<IngestSplit> splits = p.splits().isEmpty() ? List.of(new IngestSplit("input", p.inputs())) : p.splits();
        for (IngestSplit split : splits) {
            reads.addAll(InputFiles.list(spark, split.inputs(), p.format()).readPaths(split.inputs()));
        }
        return reads;
    }

    /** One input table, or one per {@code --split}. */
    private record Part(String name, InputFiles inputs, IngestSource source) {
        String where() {
            return name == null ? "" : "split '" + name + "': ";
        }
    }

    /**
     * Reads and checks every split before anything is written, fits the label index (if asked) on the first, and
     * writes all tables in one atomic commit of the output (a table, or a directory of tables with {@code --split}).
     */
    private static List<IngestResult> runAll(SparkSession spark, IngestParams p) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        List<Part> parts = new ArrayList<>();
        List<OutputGuard.Named> reads = new ArrayList<>();
        List<IngestSplit> splits = p.splits().isEmpty() ? List.of(new IngestSplit("input", p.inputs())) : p.splits();
        for (IngestSplit split : splits) {
            InputFiles files = InputFiles.list(spark, split.inputs(), p.format());
            if (!p.keepColumns().isEmpty() && files.format() != InputFormat.DATACOMP) {
                throw new IllegalArgumentException("ingest --keep-column keeps DataComp metadata columns: it needs --format datacomp"
                        + " (the inputs are " + files.format().name().toLowerCase(java.util.Locale.ROOT) + ")");
            }
            parts.add(new Part(p.splits().isEmpty() ? null : split.name(), files, IngestSource.of(files.format(), p.keepColumns())));
            reads.addAll(files.readPaths(split.inputs()));
        }
        List<OutputGuard.Named> outputs = List.of(new OutputGuard.Named("--output", p.output()),
                new OutputGuard.Named("--quarantine", p.onBad() == OnBad.QUARANTINE ? p.quarantine() : null));
        OutputGuard.requireApart("ingest", outputs, reads, hadoop);
        AtomicOutput out = AtomicOutput.to(p.output(), hadoop, p.overwrite());
        AtomicOutput quarantine = p.onBad() == OnBad.QUARANTINE ? AtomicOutput.to(p.quarantine(), hadoop, p.overwrite()) : null;
        List<Dataset<Row>> checked = new ArrayList<>();
        try (Progress progress = Progress.start(spark, "ingest")) {
            CheckRules rules = new CheckRules(p.require(), p.ignoreUnknown(), p.tabular());
            List<List<IngestChecks.Dimension>> dims = new ArrayList<>();
            for (Part part : parts) {
                progress.step(part.where() + "reading " + part.inputs().files().size() + " "
                        + part.inputs().format().name().toLowerCase() + " file(s)");
                Dataset<Row> rows = part.source().read(oneTaskPerFile(spark), part.inputs().files(), rules);
                List<IngestChecks.Dimension> d = IngestChecks.dimensions(rows);
                dims.add(d);
                requireSameVectors(parts.get(0), part);
                checked.add(IngestChecks.flagDuplicates(IngestChecks.flagLengths(rows, d)).persist(StorageLevel.MEMORY_AND_DISK()));
            }
            LabelIndex index = null;
            if (p.tabular().indexLabels()) {
                index = LabelIndex.fit(checked.get(0), parts.get(0).name() == null ? "this input" : "split '" + parts.get(0).name() + "'",
                        p.tabular());
                progress.step("label index (StringIndexer, " + p.tabular().labelOrder() + "): " + index.labels().size() + " labels");
                for (int i = 0; i < checked.size(); i++) {
                    Dataset<Row> indexed = index.apply(checked.get(i)).persist(StorageLevel.MEMORY_AND_DISK());
                    checked.get(i).unpersist();
                    checked.set(i, indexed);
                }
            }
            long[] badRows = new long[parts.size()];
            for (int i = 0; i < parts.size(); i++) {
                Part part = parts.get(i);
                long allRows = checked.get(i).count();
                if (allRows == 0 && !p.allowEmpty()) {
                    throw new IllegalArgumentException(part.where() + "the input holds no rows (" + String.join(", ", part.inputs().files())
                            + "); --allow-empty writes an empty pool");
                }
                Dataset<Row> bad = checked.get(i).filter(col("_error").isNotNull());
                badRows[i] = bad.count();
                progress.step(part.where() + "checked the rows: " + badRows[i] + " bad");
                if (badRows[i] > 0 && p.onBad() == OnBad.FAIL) {
                    Row first = bad.orderBy("_file", "_row").first();
                    throw new IllegalArgumentException(part.where() + describe(first) + (badRows[i] > 1 ? " (" + badRows[i]
                            + " bad rows in all" : " (1 bad row") + "; --on-bad quarantine sets bad rows aside)");
                }
            }
            List<IngestResult> results = new ArrayList<>();
            // manifests and results name the committed paths, also when this output is staged inside another (mgd prepare)
            String shownQuarantine = quarantine == null ? null : AtomicOutput.committedPath(quarantine.destination().toString());
            for (int i = 0; i < parts.size(); i++) {
                Part part = parts.get(i);
                String table = part.name() == null ? out.stagingPath() : new org.apache.hadoop.fs.Path(out.stagingPath(), part.name()).toString();
                String shown = AtomicOutput.committedPath(part.name() == null ? out.destination().toString()
                        : new org.apache.hadoop.fs.Path(out.destination(), part.name()).toString());
                List<String> embeddings = new ArrayList<>();
                for (IngestChecks.Dimension d : dims.get(i)) {
                    if (d.field().startsWith(TableSchemas.EMBEDDING_PREFIX)) {
                        embeddings.add(d.field().substring(TableSchemas.EMBEDDING_PREFIX.length()));
                    }
                }
                Dataset<Row> good = checked.get(i).filter(col("_error").isNull());
                Dataset<Row> pool = poolColumns(good, presentMetadata(checked.get(i)), embeddings, part.source().keptColumns());
                TableSchemas.validate(pool, Table.POOL, shown); // what we write is what readers accept
                progress.step(part.where() + "writing " + p.shards() + " shard(s) to " + shown);
                pool.repartition(p.shards(), col("uid")).sortWithinPartitions("uid").write().parquet(table);
                long written = ParquetFiles.rowCount(table, hadoop);
                TableManifest manifest = TableManifest.of("ingest", Table.POOL).params(p.committed()).inputs(part.inputs().files()).rowCount(written)
                        .put("format", part.inputs().format().name().toLowerCase()).put("embeddings", embeddings)
                        .put("ignored_columns", part.source().ignoredColumns()).put("kept_columns", keptNames(part.source()))
                        .put("bad_rows", badRows[i])
                        .put("quarantine", quarantine == null ? null : quarantineTable(shownQuarantine, part));
                if (part.name() != null) {
                    manifest.put("split", part.name());
                }
                if (!p.tabular().vectors().isEmpty()) {
                    manifest.put("vectors", vectorColumns(part));
                }
                if (index != null) {
                    manifest.put(LABEL_INDEX, index.manifest());
                }
                manifest.writeTo(table, hadoop);
                if (quarantine != null) {
                    writeQuarantine(checked.get(i).filter(col("_error").isNotNull()), quarantineTable(quarantine.stagingPath(), part), p,
                            part.inputs(), badRows[i], hadoop);
                }
                results.add(new IngestResult(shown, written, ParquetFiles.fileCount(table, hadoop), badRows[i],
                        quarantine == null ? null : quarantineTable(shownQuarantine, part), embeddings,
                        part.source().ignoredColumns(), index == null ? List.of() : index.labels()));
            }
            if (!p.splits().isEmpty()) {
                splitsManifest(p, parts, index, results).writeTo(out.stagingPath(), hadoop);
                if (quarantine != null) {
                    TableManifest.of("ingest", QUARANTINE_SPLITS_SCHEMA).params(p.committed()).inputs(p.allInputs())
                            .put("splits", parts.stream().map(Part::name).toList()).writeTo(quarantine.stagingPath(), hadoop);
                }
            }
            out.commit();
            if (quarantine != null) {
                quarantine.commit();
            }
            return results;
        } catch (Exception e) { // also SparkException, a checked exception Scala throws unchecked
            out.abort();
            if (quarantine != null) {
                quarantine.abort();
            }
            throw e;
        } finally {
            checked.forEach(Dataset::unpersist);
        }
    }

    /** Schema id of the directory {@code --split} writes: one pool table per split. */
    public static final String SPLITS_SCHEMA = "ingest-splits/v1";
    /** Schema id of the quarantine directory of a {@code --split} ingest: one quarantine table per split. */
    public static final String QUARANTINE_SPLITS_SCHEMA = "ingest-quarantine-splits/v1";

    /** The manifest of a {@code --split} output: its tables, their rows, and the shared label index. */
    private static TableManifest splitsManifest(IngestParams p, List<Part> parts, LabelIndex index, List<IngestResult> results) {
        java.util.Map<String, Long> rows = new java.util.LinkedHashMap<>();
        for (int i = 0; i < parts.size(); i++) {
            rows.put(parts.get(i).name(), results.get(i).rows());
        }
        TableManifest m = TableManifest.of("ingest", SPLITS_SCHEMA).params(p.committed()).inputs(p.allInputs()).put("splits", rows);
        if (index != null) {
            m.put(LABEL_INDEX, index.manifest());
        }
        return m;
    }

    /** The key of the label mapping in a pool table's {@code _metagrad.json}. */
    public static final String LABEL_INDEX = "label_index";

    private static String quarantineTable(String dir, Part part) {
        return part.name() == null ? dir : new org.apache.hadoop.fs.Path(dir, part.name()).toString();
    }

    /** Every split gathers the same columns into each vector: a prefix that matched differently would misalign features. */
    private static void requireSameVectors(Part first, Part part) {
        List<VectorColumns> a = first.source().resolved().vectors();
        List<VectorColumns> b = part.source().resolved().vectors();
        for (int v = 0; v < a.size(); v++) {
            if (!a.get(v).columns().equals(b.get(v).columns())) {
                throw new IllegalArgumentException(part.where() + String.join(", ", part.inputs().files()) + ": --vector "
                        + b.get(v).name() + " gathers " + b.get(v).columns() + " here but " + a.get(v).columns() + " in "
                        + first.where().replace(": ", "") + "; every split needs the same columns");
            }
        }
    }

    /** Each {@code emb_NAME} with the input columns it gathered, in order (prefixes resolved against this split's columns). */
    private static java.util.Map<String, List<String>> vectorColumns(Part part) {
        java.util.Map<String, List<String>> m = new java.util.LinkedHashMap<>();
        for (VectorColumns v : part.source().resolved().vectors()) {
            m.put(v.name(), v.columns());
        }
        return m;
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

    private static void writeQuarantine(Dataset<Row> bad, String table, IngestParams p, InputFiles inputs,
            long badRows, Configuration hadoop) {
        List<Column> columns = new ArrayList<>(List.of(col("_file").as("file"), col("_row").as("row"),
                col("_field").as("field"), col("_error").as("error"), col("_record").as("record")));
        for (String f : Table.POOL.schema().fieldNames()) {
            columns.add(col(f));
        }
        columns.add(col("embeddings"));
        bad.select(columns.toArray(new Column[0])).orderBy("file", "row").coalesce(1).write().parquet(table);
        TableManifest.of("ingest", QUARANTINE_SCHEMA).params(p.committed()).inputs(inputs.files()).rowCount(badRows)
                .writeTo(table, hadoop);
    }
}
