package io.metagrad.spark.ingest;

import static org.apache.spark.sql.functions.col;

import io.metagrad.spark.io.npy.Npy;
import io.metagrad.spark.io.npy.NpyArray;
import io.metagrad.spark.schema.TableSchemas;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Parquet input, and DataComp-style shards: metadata Parquet plus an {@code .npz} of embedding
 * arrays beside each file ({@code 00000001.parquet} + {@code 00000001.npz}), row-aligned. Rows
 * are numbered by their index in the file. In DataComp mode, metadata columns that are not
 * pool fields are dropped (and reported) unless the user keeps them ({@code --keep-column}: they
 * become typed pool columns, see {@link KeptColumn}), and {@code source} defaults to
 * {@code datacomp:<shard>}.
 */
final class ParquetSource implements IngestSource {

    private final boolean datacomp;
    private final boolean catalog;
    private final List<String> keep;
    private List<String> ignored = List.of();
    private TabularColumns resolved = TabularColumns.NONE;
    private List<StructField> kept = List.of();

    ParquetSource(boolean datacomp) {
        this(datacomp, false, List.of());
    }

    private ParquetSource(boolean datacomp, boolean catalog, List<String> keep) {
        this.datacomp = datacomp;
        this.catalog = catalog;
        this.keep = List.copyOf(keep);
    }

    /** DataComp shards, keeping the metadata columns {@code keep} ({@code --keep-column}) as typed pool columns. */
    static ParquetSource dataComp(List<String> keep) {
        return new ParquetSource(true, false, keep);
    }

    /** A catalog table ({@link InputFormat#TABLE}): its columns are checked as Parquet's are, rows numbered by Iceberg's {@code _pos}. */
    static ParquetSource catalogTable() {
        return new ParquetSource(false, true, List.of());
    }

    @Override
    public Dataset<Row> read(SparkSession session, List<String> files, CheckRules rules) {
        // A catalog table is a name, not a file: its data files are the catalog's, read through Spark.
        Map<String, long[]> rowGroups = catalog ? Map.of() : rowGroups(files, session.sparkContext().hadoopConfiguration());
        Dataset<Row> raw;
        try {
            raw = catalog ? session.table(files.get(0)) : session.read().option("mergeSchema", "true").parquet(files.toArray(new String[0]));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot read the Parquet inputs together (do their column types differ?): "
                    + e.getMessage(), e);
        }
        List<String> names = new ArrayList<>();
        for (StructField f : raw.schema().fields()) {
            names.add(f.name());
        }
        String where = files.size() == 1 ? files.get(0) : files.get(0) + " (and " + (files.size() - 1) + " more)";
        rules = rules.resolve(where, names); // --vector prefixes in schema order
        resolved = rules.tabular();
        if (!keep.isEmpty()) {
            KeptColumn.requireInEveryFile(files, keep, session.sparkContext().hadoopConfiguration());
        }
        List<String> dropped = new ArrayList<>(ColumnCheck.check(where, names, rules, datacomp));
        dropped.removeAll(keep);
        ignored = List.copyOf(dropped);
        List<KeptColumn> keptColumns = new ArrayList<>();
        for (String k : keep) {
            keptColumns.add(KeptColumn.of(where, k, raw.schema().apply(k).dataType()));
        }
        this.kept = keptColumns.stream().map(KeptColumn::field).toList();
        List<String> kept = new ArrayList<>(names);
        kept.removeAll(ignored);
        kept.removeAll(keep);
        List<Column> columns = new ArrayList<>();
        List<String> text = new ArrayList<>();
        for (String c : kept) {
            // Strings travel as their raw bytes, decoded strictly in the task: Spark would turn invalid UTF-8 into U+FFFD.
            boolean string = raw.schema().apply(c).dataType().equals(DataTypes.StringType);
            columns.add(string ? col("`" + c + "`").cast("binary") : col("`" + c + "`"));
            if (string) {
                text.add(c);
            }
        }
        columns.add(catalog ? col("_file") : col("_metadata.file_path"));
        columns.add(catalog ? col("_pos") : col("_metadata.row_index"));
        for (KeptColumn k : keptColumns) {
            columns.add(k.raw());
        }
        Dataset<Row> rows = raw.select(columns.toArray(new Column[0]));
        SerializableConfiguration hadoop = new SerializableConfiguration(session.sparkContext().hadoopConfiguration());
        org.apache.spark.sql.types.StructType schema = CheckedRows.SCHEMA;
        for (StructField f : this.kept) {
            schema = schema.add(f);
        }
        return rows.mapPartitions(new Convert(kept, text, rowGroups, rules, datacomp ? hadoop : null, keptColumns),
                Encoders.row(schema));
    }

    @Override
    public List<StructField> keptColumns() {
        return kept;
    }

    /**
     * The first row of every row group of every file, from the footers, read on the driver before any work: a file
     * that is not Parquet or whose footer is damaged fails here, named.
     */
    private static Map<String, long[]> rowGroups(List<String> files, Configuration hadoop) {
        Map<String, long[]> starts = new java.util.HashMap<>();
        for (String f : files) {
            try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(new Path(f), hadoop))) {
                List<org.apache.parquet.hadoop.metadata.BlockMetaData> blocks = reader.getFooter().getBlocks();
                long[] s = new long[blocks.size() + 1];
                for (int b = 0; b < blocks.size(); b++) {
                    s[b + 1] = s[b] + blocks.get(b).getRowCount();
                }
                starts.put(key(f), s);
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException(f + ": not a readable Parquet file (" + CurrentFile.reason(e) + ")", e);
            }
        }
        return starts;
    }

    /** Files named the same way whether they come from a listing or from Spark's {@code _metadata.file_path}. */
    static String key(String file) {
        return new Path(file).toUri().getPath();
    }

    @Override
    public TabularColumns resolved() {
        return resolved;
    }

    @Override
    public List<String> ignoredColumns() {
        return ignored;
    }

    private static final class Convert implements MapPartitionsFunction<Row, Row> {
        private final List<String> columns;
        private final List<String> text;
        private final Map<String, long[]> rowGroups;
        private final CheckRules rules;
        private final SerializableConfiguration hadoop; // null unless DataComp
        private final List<KeptColumn> kept; // after _file and _row in the input rows, at the end of the output rows

        Convert(List<String> columns, List<String> text, Map<String, long[]> rowGroups, CheckRules rules,
                SerializableConfiguration hadoop, List<KeptColumn> kept) {
            this.columns = columns;
            this.text = text;
            this.rowGroups = rowGroups;
            this.rules = rules;
            this.hadoop = hadoop;
            this.kept = kept;
        }

        /** The checked values plus the kept columns' (a bad kept value flags the row, naming its column). */
        private Row withKept(Object[] v, Row in, int n, RawRecord record) {
            if (kept.isEmpty()) {
                return CheckedRows.row(v);
            }
            Object[] all = java.util.Arrays.copyOf(v, v.length + kept.size());
            for (int i = 0; i < kept.size(); i++) {
                try {
                    all[v.length + i] = kept.get(i).value(in.get(n + 2 + i));
                } catch (BadField bad) {
                    CheckedRows.flag(all, bad.field(), bad.getMessage(), record);
                }
            }
            return CheckedRows.row(all);
        }

        @Override
        public Iterator<Row> call(Iterator<Row> input) {
            int n = columns.size();
            return new Iterator<>() {
                private String file;
                private Shard shard;
                private String lastFile;
                private long lastIndex = -1;

                private IllegalArgumentException undecodable(Exception e) {
                    return ParquetSource.undecodable(e, lastFile, lastIndex, rowGroups);
                }

                @Override
                public boolean hasNext() {
                    try {
                        return input.hasNext();
                    } catch (Exception e) { // a decoding failure; IOExceptions arrive unchecked through Scala
                        throw undecodable(e);
                    }
                }

                @Override
                public Row next() {
                    Row in;
                    try {
                        in = input.next();
                    } catch (Exception e) {
                        throw undecodable(e);
                    }
                    String f = in.getString(n);
                    long index = in.getLong(n + 1);
                    lastFile = f;
                    lastIndex = index;
                    RowRecords.Decoded decoded = RowRecords.decodeText(in, columns, text);
                    RawRecord record = RowRecords.of(decoded.row(), columns);
                    if (decoded.badField() != null) {
                        Object[] v = CheckedRows.check(f, index + 1, record, rules);
                        v[CheckedRows.ERROR] = null; // the encoding problem comes first: it is why the value is missing
                        CheckedRows.flag(v, decoded.badField(), decoded.problem(), record);
                        return withKept(v, in, n, record);
                    }
                    if (hadoop == null) {
                        return withKept(CheckedRows.check(f, index + 1, record, rules), in, n, record);
                    }
                    if (!f.equals(file)) {
                        file = f;
                        shard = Shard.load(f, hadoop.value());
                    }
                    RawRecord withEmbeddings = shard.withEmbeddings(record, (int) index);
                    Object[] v = CheckedRows.check(f, index + 1, withEmbeddings, rules);
                    shard.finish(v, withEmbeddings);
                    return withKept(v, in, n, withEmbeddings);
                }
            };
        }
    }

    /** A file whose pages cannot be decoded, named with the row group the reader was in. */
    private static IllegalArgumentException undecodable(Exception e, String lastFile, long lastIndex, Map<String, long[]> groups) {
        String f = lastFile != null ? lastFile : CurrentFile.path();
        long row = lastIndex + 1;
        long[] starts = groups.get(key(f));
        String where = "";
        if (starts != null) {
            int g = 0;
            while (g + 1 < starts.length - 1 && starts[g + 1] <= row) {
                g++;
            }
            where = String.format(" row group %d of %d (rows %d–%d)", g + 1, starts.length - 1, starts[g] + 1, starts[g + 1]);
        }
        return new IllegalArgumentException(f + where + ": cannot be decoded (" + CurrentFile.reason(e)
                + "); the file is damaged", e);
    }

    /** The embeddings of one DataComp shard, or why they cannot be used. */
    private record Shard(String name, Map<String, NpyArray> arrays, String field, String problem) {

        static Shard load(String parquetFile, Configuration hadoop) {
            Path parquet = new Path(parquetFile);
            String base = parquet.getName();
            String stem = base.endsWith(".parquet") ? base.substring(0, base.length() - ".parquet".length()) : base;
            Path npz = new Path(parquet.getParent(), stem + ".npz");
            try {
                FileSystem fs = npz.getFileSystem(hadoop);
                long rows;
                try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(parquet, hadoop))) {
                    rows = reader.getRecordCount();
                }
                Map<String, NpyArray> arrays;
                try (InputStream in = fs.open(npz)) {
                    arrays = new TreeMap<>(Npy.readNpz(in));
                }
                for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
                    String field = TableSchemas.EMBEDDING_PREFIX + e.getKey();
                    if (!TableSchemas.isEmbeddingName(e.getKey())) {
                        return new Shard(stem, null, field, npz + ": array name '" + e.getKey()
                                + "' cannot name an embedding (use [A-Za-z0-9_]+)");
                    }
                    if (e.getValue().shape().length != 2 || e.getValue().rows() != rows) {
                        return new Shard(stem, null, field, npz + ": array '" + e.getKey() + "' has shape "
                                + java.util.Arrays.toString(e.getValue().shape()) + ", but " + parquet.getName() + " has "
                                + rows + " rows (expected [" + rows + ", dim])");
                    }
                }
                return new Shard(stem, arrays, null, null);
            } catch (FileNotFoundException e) {
                return new Shard(stem, null, "embeddings", "no embeddings file " + npz + " beside " + parquet.getName());
            } catch (IOException e) {
                return new Shard(stem, null, "embeddings", "cannot read " + npz + ": " + e.getMessage());
            }
        }

        /** The metadata record plus this shard's embeddings of row {@code index} as {@code emb_<name>} fields. */
        RawRecord withEmbeddings(RawRecord metadata, int index) {
            if (arrays == null) {
                return metadata;
            }
            List<String> fields = new ArrayList<>();
            metadata.fields().forEach(fields::add);
            arrays.keySet().forEach(k -> fields.add(TableSchemas.EMBEDDING_PREFIX + k));
            return new RawRecord() {
                @Override
                public Iterable<String> fields() {
                    return fields;
                }

                @Override
                public Object value(String field) {
                    NpyArray a = field.startsWith(TableSchemas.EMBEDDING_PREFIX)
                            ? arrays.get(field.substring(TableSchemas.EMBEDDING_PREFIX.length())) : null;
                    return a != null ? a.row(index) : metadata.value(field);
                }

                @Override
                public boolean textual() {
                    return false;
                }

                @Override
                public String render() {
                    return metadata.render(); // the embeddings stay in the .npz
                }
            };
        }

        /** Flags the row when the shard's embeddings are unusable; fills the default source. */
        void finish(Object[] v, RawRecord record) {
            int source = CheckedRows.FIRST_POOL_FIELD + CheckedRows.POOL_FIELDS.indexOf("source");
            if (v[source] == null) {
                v[source] = "datacomp:" + name;
            }
            if (problem != null) {
                CheckedRows.flag(v, field, problem, record);
            }
        }
    }
}
