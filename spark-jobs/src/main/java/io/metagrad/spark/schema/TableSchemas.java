package io.metagrad.spark.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Enforces the table schemas of {@link Table} when a table is read.
 *
 * <p>Rules (documented in {@code data-schemas/README.md}):
 * <ul>
 *   <li>every field the schema declares {@code nullable: false} must be present;</li>
 *   <li>a present field must have the declared type (nullability of array elements is not
 *       compared: Parquet reads every field back as nullable);</li>
 *   <li>a nullable field may be absent; it then reads as null;</li>
 *   <li>any other column is an error, except the pool's embedding columns
 *       {@code emb_<name>} of type {@code array<float>} and its kept metadata columns ({@link #keptColumn}:
 *       {@code mgd ingest --keep-column}, bigint, double or string, marked in the field's metadata);</li>
 *   <li>the result has the schema's column order (then the embeddings and kept columns, sorted by name).</li>
 * </ul>
 * Value-level rules (non-null uid, unique uids, finite vectors of one length) are checked by the
 * jobs and by {@link io.metagrad.spark.io.FeatureTables}, which see the rows.
 */
public final class TableSchemas {

    /** Prefix of the pool's named precomputed embedding columns. */
    public static final String EMBEDDING_PREFIX = "emb_";

    private static final Pattern EMBEDDING_COLUMN = Pattern.compile("emb_[A-Za-z0-9_]+");
    private static final DataType FLOAT_ARRAY = DataTypes.createArrayType(DataTypes.FloatType, false);

    private TableSchemas() {}

    /** The type of every vector column: {@code array<float>}. */
    public static DataType floatArray() {
        return FLOAT_ARRAY;
    }

    /** Reads the Parquet table at {@code path} and {@linkplain #validate validates} it. */
    public static Dataset<Row> read(SparkSession spark, Table table, String path) {
        return validate(spark.read().parquet(path), table, path);
    }

    /**
     * Checks {@code rows} against {@code table}'s schema and returns it with absent nullable
     * fields added as nulls, in the schema's column order.
     *
     * @param path where the rows came from, named in error messages
     * @throws IllegalArgumentException naming the table, the path and the field at fault
     */
    public static Dataset<Row> validate(Dataset<Row> rows, Table table, String path) {
        StructType actual = rows.schema();
        Map<String, StructField> present = new TreeMap<>();
        for (StructField f : actual.fields()) {
            present.put(f.name(), f);
        }
        List<Column> columns = new ArrayList<>();
        for (StructField expected : table.schema().fields()) {
            StructField found = present.remove(expected.name());
            if (found == null) {
                if (!expected.nullable()) {
                    throw problem(table, path, expected.name(), "is missing; " + table.id() + " requires it ("
                            + expected.dataType().simpleString() + ")");
                }
                columns.add(functions.lit(null).cast(expected.dataType()).as(expected.name()));
            } else {
                requireType(table, path, found, expected.dataType());
                columns.add(functions.col(quoted(found.name())));
            }
        }
        for (StructField extra : present.values()) {
            if (table == Table.POOL && EMBEDDING_COLUMN.matcher(extra.name()).matches()) {
                requireType(table, path, extra, FLOAT_ARRAY);
                columns.add(functions.col(quoted(extra.name())));
            } else if (table == Table.POOL && isKeptColumn(extra)) {
                if (!KEPT_TYPES.contains(extra.dataType())) {
                    throw problem(table, path, extra.name(), "is a kept metadata column of type " + extra.dataType().simpleString()
                            + "; kept columns are bigint, double or string");
                }
                columns.add(functions.col(quoted(extra.name())));
            } else {
                throw problem(table, path, extra.name(), "is not a " + table.id() + " field (allowed: "
                        + allowed(table) + ")");
            }
        }
        return rows.select(columns.toArray(new Column[0]));
    }

    /** Checks only the schema (no data), e.g. before a job starts. */
    public static void validate(StructType schema, Table table, String path) {
        SparkSession spark = SparkSession.active();
        validate(spark.createDataFrame(List.of(), schema), table, path);
    }

    /** The names of the pool's embeddings, e.g. {@code clip} for column {@code emb_clip}, sorted. */
    public static List<String> embeddingNames(StructType poolSchema) {
        List<String> names = new ArrayList<>();
        for (StructField f : poolSchema.fields()) {
            if (EMBEDDING_COLUMN.matcher(f.name()).matches()) {
                names.add(f.name().substring(EMBEDDING_PREFIX.length()));
            }
        }
        names.sort(null);
        return names;
    }

    /** The field-metadata key marking a pool column that {@code mgd ingest --keep-column} kept from the input. */
    public static final String KEPT_COLUMN_KEY = "metagrad_kept_column";

    private static final List<DataType> KEPT_TYPES = List.of(DataTypes.LongType, DataTypes.DoubleType, DataTypes.StringType);

    /**
     * A kept metadata column of the pool ({@code bigint}, {@code double} or {@code string}): a column the user named at
     * ingest that is no pool/v1 field. The mark travels in the Parquet file's Spark schema, so readers know the column
     * was kept on purpose and accept it.
     */
    public static StructField keptColumn(String name, DataType type) {
        if (!KEPT_TYPES.contains(type)) {
            throw new IllegalArgumentException("kept column '" + name + "' type " + type.simpleString()
                    + " invalid; kept columns are bigint, double or string");
        }
        return new StructField(name, type, true, keptMark());
    }

    /** The field metadata that marks a kept column. */
    public static org.apache.spark.sql.types.Metadata keptMark() {
        return new org.apache.spark.sql.types.MetadataBuilder().putBoolean(KEPT_COLUMN_KEY, true).build();
    }

    /** Whether {@code field} carries the kept-column mark ({@link #keptColumn}). */
    public static boolean isKeptColumn(StructField field) {
        return field.metadata().contains(KEPT_COLUMN_KEY) && field.metadata().getBoolean(KEPT_COLUMN_KEY);
    }

    /** Whether {@code name} is a valid embedding name (the part after {@code emb_}). */
    public static boolean isEmbeddingName(String name) {
        return EMBEDDING_COLUMN.matcher(EMBEDDING_PREFIX + name).matches();
    }

    /** Whether two types are the same once every nullability flag is ignored. */
    public static boolean sameType(DataType a, DataType b) {
        return relaxed(a).equals(relaxed(b));
    }

    private static void requireType(Table table, String path, StructField found, DataType expected) {
        if (!sameType(found.dataType(), expected)) {
            throw problem(table, path, found.name(), "has type " + found.dataType().simpleString() + "; "
                    + table.id() + " requires " + expected.simpleString());
        }
    }

    private static DataType relaxed(DataType t) {
        if (t instanceof ArrayType a) {
            return DataTypes.createArrayType(relaxed(a.elementType()), true);
        }
        if (t instanceof MapType m) {
            return DataTypes.createMapType(relaxed(m.keyType()), relaxed(m.valueType()), true);
        }
        if (t instanceof StructType s) {
            StructField[] fields = s.fields().clone();
            for (int i = 0; i < fields.length; i++) {
                fields[i] = new StructField(fields[i].name(), relaxed(fields[i].dataType()), true,
                        org.apache.spark.sql.types.Metadata.empty());
            }
            return new StructType(fields);
        }
        return t;
    }

    private static String allowed(Table table) {
        String fields = String.join(", ", table.schema().fieldNames());
        return table == Table.POOL ? fields + ", emb_<name>, columns kept by ingest --keep-column" : fields;
    }

    private static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    private static IllegalArgumentException problem(Table table, String path, String field, String what) {
        return new IllegalArgumentException(table.tableName() + " table " + path + ": field '" + field + "' " + what);
    }
}
