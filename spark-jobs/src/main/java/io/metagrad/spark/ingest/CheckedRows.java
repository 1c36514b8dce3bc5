package io.metagrad.spark.ingest;

import io.metagrad.spark.schema.Table;
import io.metagrad.spark.schema.TableSchemas;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The rows every ingest reader produces: where the record came from ({@code _file}, {@code _row}
 * counted from 1), the pool fields it converted to, its embeddings as a map, and the first
 * problem found ({@code _field}, {@code _error}, with the original record in {@code _record}).
 */
final class CheckedRows {

    static final List<String> POOL_FIELDS = List.of(Table.POOL.schema().fieldNames());
    static final int FILE = 0;
    static final int ROW = 1;
    static final int FIRST_POOL_FIELD = 2;
    static final int EMBEDDINGS = FIRST_POOL_FIELD + POOL_FIELDS.size();
    static final int FIELD = EMBEDDINGS + 1;
    static final int ERROR = FIELD + 1;
    static final int RECORD = ERROR + 1;
    /** With {@code --index-labels}: the label as read, numbered later by {@link LabelIndex}. */
    static final int LABEL_TEXT = RECORD + 1;
    static final StructType SCHEMA = schema();

    private CheckedRows() {}

    private static StructType schema() {
        StructType s = new StructType().add("_file", DataTypes.StringType, false).add("_row", DataTypes.LongType, false);
        for (StructField f : Table.POOL.schema().fields()) {
            s = s.add(f.name(), f.dataType(), true);
        }
        return s.add("embeddings", DataTypes.createMapType(DataTypes.StringType, TableSchemas.floatArray(), true), true)
                .add("_field", DataTypes.StringType, true)
                .add("_error", DataTypes.StringType, true)
                .add("_record", DataTypes.StringType, true)
                .add(LabelIndex.TEXT, DataTypes.StringType, true);
    }

    /** Converts {@code record}; the result's values can still be amended before {@link #row}. */
    static Object[] check(String file, long row, RawRecord input, CheckRules rules) {
        RawRecord record = rules.tabular().apply(input);
        Object[] v = new Object[SCHEMA.size()];
        v[FILE] = file;
        v[ROW] = row;
        Map<String, float[]> embeddings = new TreeMap<>();
        for (String name : record.fields()) {
            try {
                convert(name, record, v, embeddings, rules);
            } catch (BadField bad) {
                flag(v, rules.tabular().inputName(bad.field()), bad.getMessage(), record);
            }
        }
        try {
            PoolValues.uid(v[FIRST_POOL_FIELD]); // present and well-formed (absent fields were never converted)
        } catch (BadField bad) {
            flag(v, bad.field(), bad.getMessage(), record);
        }
        for (String name : rules.required()) {
            boolean present = name.startsWith(TableSchemas.EMBEDDING_PREFIX)
                    ? embeddings.containsKey(name.substring(TableSchemas.EMBEDDING_PREFIX.length()))
                    : name.equals("label") && rules.tabular().indexLabels() ? v[LABEL_TEXT] != null
                    : v[FIRST_POOL_FIELD + POOL_FIELDS.indexOf(name)] != null;
            if (!present) {
                flag(v, rules.tabular().inputName(name), "missing (required by --require)", record);
            }
        }
        v[EMBEDDINGS] = embeddings.isEmpty() ? null : embeddings;
        return v;
    }

    private static void convert(String name, RawRecord record, Object[] v, Map<String, float[]> embeddings,
            CheckRules rules) throws BadField {
        Object raw = record.checkedValue(name);
        boolean textual = record.textual();
        int at = POOL_FIELDS.indexOf(name);
        switch (name) {
            case "uid" -> v[FIRST_POOL_FIELD + at] = raw == null ? null : PoolValues.uid(raw);
            case "text", "url", "source" -> v[FIRST_POOL_FIELD + at] = PoolValues.string(name, raw);
            case "image" -> v[FIRST_POOL_FIELD + at] = PoolValues.image(raw);
            case "pixels" -> v[FIRST_POOL_FIELD + at] = PoolValues.vector(name, raw, textual, true);
            case "label" -> {
                if (rules.tabular().indexLabels()) {
                    v[LABEL_TEXT] = PoolValues.labelText(rules.tabular().labelSource(), raw);
                } else {
                    v[FIRST_POOL_FIELD + at] = PoolValues.label(raw, textual);
                }
            }
            case "clip_b32_similarity_score", "clip_l14_similarity_score" -> v[FIRST_POOL_FIELD + at] = PoolValues.number(name, raw, textual);
            case "original_width", "original_height" -> v[FIRST_POOL_FIELD + at] = PoolValues.pixels(name, raw, textual);
            case "sha256" -> v[FIRST_POOL_FIELD + at] = PoolValues.sha256(raw);
            default -> {
                if (name.startsWith(TableSchemas.EMBEDDING_PREFIX)
                        && TableSchemas.isEmbeddingName(name.substring(TableSchemas.EMBEDDING_PREFIX.length()))) {
                    float[] e = PoolValues.vector(name, raw, textual, false);
                    if (e != null) {
                        embeddings.put(name.substring(TableSchemas.EMBEDDING_PREFIX.length()), e);
                    }
                } else if (!rules.ignoreUnknown()) {
                    throw unknown(name);
                }
            }
        }
    }

    /** The error for a field that is not in the pool schema. */
    static BadField unknown(String name) {
        return new BadField(name, "is not a " + Table.POOL.id() + " field (fields: " + String.join(", ", POOL_FIELDS)
                + ", emb_<name> with <name> in [A-Za-z0-9_]+); --ignore-unknown drops unknown fields");
    }

    /** Records a problem, keeping the first one found. */
    static void flag(Object[] v, String field, String error, RawRecord record) {
        if (v[ERROR] == null) {
            v[FIELD] = field;
            v[ERROR] = error;
            v[RECORD] = record == null ? null : record.render();
        }
    }

    /** A record that could not be read at all (e.g. malformed JSON). */
    static Row broken(String file, long row, String error, String text) {
        Object[] v = new Object[SCHEMA.size()];
        v[FILE] = file;
        v[ROW] = row;
        v[ERROR] = error;
        v[RECORD] = text;
        return RowFactory.create(v);
    }

    /** The finished row (Spark's row encoder wants a Scala map for the embeddings). */
    static Row row(Object[] values) {
        if (values[EMBEDDINGS] instanceof Map<?, ?> m) {
            values[EMBEDDINGS] = scala.collection.JavaConverters.mapAsScalaMap(m);
        }
        return RowFactory.create(values);
    }
}
