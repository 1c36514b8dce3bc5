package io.metagrad.spark.ingest;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/** Raw records read from Spark rows (Parquet), and JSON rendering of raw values. */
final class RowRecords {

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls()
            .serializeSpecialFloatingPointValues().create();

    private RowRecords() {}

    /** A Parquet row as a raw record over the given columns (positions 0..n-1 of {@code row}). */
    static RawRecord of(Row row, List<String> columns) {
        return new RawRecord() {
            @Override
            public Iterable<String> fields() {
                return columns;
            }

            @Override
            public Object value(String field) {
                int i = columns.indexOf(field);
                return i < 0 ? null : plain(row.get(i) instanceof scala.collection.Seq<?> ? row.getList(i) : row.get(i));
            }

            @Override
            public boolean textual() {
                return false;
            }

            @Override
            public String render() {
                Map<String, Object> values = new LinkedHashMap<>();
                for (String c : columns) {
                    values.put(c, value(c));
                }
                return json(values);
            }
        };
    }

    /**
     * A row whose {@code text} columns hold raw bytes, with each decoded strictly: the row with those strings (an invalid
     * one as a visible escape, {@code \\xNN} per bad byte, never U+FFFD), and the first column that was not UTF-8.
     */
    record Decoded(Row row, String badField, String problem) {}

    static Decoded decodeText(Row in, List<String> columns, List<String> text) {
        if (text.isEmpty()) {
            return new Decoded(in, null, null);
        }
        Object[] values = new Object[in.size()];
        String badField = null;
        String problem = null;
        for (int i = 0; i < values.length; i++) {
            values[i] = in.get(i);
            if (i < columns.size() && text.contains(columns.get(i)) && values[i] instanceof byte[] bytes) {
                try {
                    values[i] = Utf8.decode(bytes);
                } catch (Utf8.Invalid e) {
                    values[i] = Utf8.escaped(bytes);
                    if (badField == null) {
                        badField = columns.get(i);
                        problem = e.getMessage();
                    }
                }
            }
        }
        return new Decoded(org.apache.spark.sql.RowFactory.create(values), badField, problem);
    }

    /** Spark's external values → the raw values {@link PoolValues} knows. */
    private static Object plain(Object v) {
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object x : list) {
                out.add(x instanceof scala.collection.Seq<?> || x instanceof Row ? "(nested)" : x);
            }
            return out;
        }
        if (v instanceof Row || v instanceof scala.collection.Map<?, ?>) {
            return Map.of();
        }
        return v;
    }

    /** Raw values as one line of JSON (binary as base64). */
    static String json(Map<String, Object> values) {
        Map<String, Object> shown = new LinkedHashMap<>();
        values.forEach((k, v) -> shown.put(k, v instanceof byte[] b ? Base64.getEncoder().encodeToString(b)
                : v instanceof BigDecimal d ? d : v));
        return GSON.toJson(shown);
    }
}
