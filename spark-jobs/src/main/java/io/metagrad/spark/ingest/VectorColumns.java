package io.metagrad.spark.ingest;

import io.metagrad.spark.schema.TableSchemas;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code --vector NAME=col1,col2,…} or {@code --vector NAME=prefix*}: numeric input columns gathered, in
 * order, into the pool's {@code emb_NAME} array (what Spark ML's {@code VectorAssembler} does for a features
 * column). A prefix is resolved against the input's column order (CSV header, Parquet schema) before any row is
 * read; {@link #columns} is then the explicit list.
 *
 * @param name    the embedding name ({@code emb_NAME} in the pool)
 * @param columns the input columns in order (empty while only a prefix is known)
 * @param prefix  the {@code prefix*} to resolve, or null once resolved or when columns were listed
 */
public record VectorColumns(String name, List<String> columns, String prefix) implements Serializable {

    public VectorColumns {
        columns = List.copyOf(columns);
    }

    /** Parses {@code NAME=col1,col2,…} or {@code NAME=prefix*}. */
    public static VectorColumns parse(String spec) {
        int eq = spec.indexOf('=');
        String name = eq < 0 ? "" : spec.substring(0, eq).strip();
        String rest = eq < 0 ? "" : spec.substring(eq + 1).strip();
        if (name.isEmpty() || rest.isEmpty()) {
            throw new IllegalArgumentException("ingest --vector '" + spec + "' is invalid; use NAME=col1,col2,… or NAME=prefix*");
        }
        if (!TableSchemas.isEmbeddingName(name)) {
            throw new IllegalArgumentException("ingest --vector '" + spec + "': the name '" + name
                    + "' must match [A-Za-z0-9_]+ (it becomes the pool column emb_" + name + ")");
        }
        if (rest.endsWith("*")) {
            String prefix = rest.substring(0, rest.length() - 1);
            if (prefix.isEmpty() || prefix.contains(",") || prefix.contains("*")) {
                throw new IllegalArgumentException("ingest --vector '" + spec + "': a prefix is one non-empty name start, e.g. f*");
            }
            return new VectorColumns(name, List.of(), prefix);
        }
        List<String> columns = new ArrayList<>();
        for (String c : rest.split(",", -1)) {
            String column = c.strip();
            if (column.isEmpty() || column.contains("*")) {
                throw new IllegalArgumentException("ingest --vector '" + spec + "': '" + c
                        + "' is not a column name (list columns as a,b,c or give one prefix as p*)");
            }
            if (columns.contains(column)) {
                throw new IllegalArgumentException("ingest --vector '" + spec + "': column '" + column + "' is listed twice");
            }
            columns.add(column);
        }
        return new VectorColumns(name, columns, null);
    }

    /** The embedding's pool column, {@code emb_NAME}. */
    String poolColumn() {
        return TableSchemas.EMBEDDING_PREFIX + name;
    }

    /**
     * The explicit column list against the input's columns.
     *
     * @param inputColumns the input's columns in order, or null when the format has no fixed columns (JSONL)
     * @throws IllegalArgumentException naming {@code file} when a column is missing or a prefix matches nothing
     */
    VectorColumns resolve(String file, List<String> inputColumns) {
        if (prefix != null) {
            if (inputColumns == null) {
                throw new IllegalArgumentException("ingest --vector " + name + "=" + prefix + "*: JSONL records have no fixed "
                        + "column order to expand a prefix in; list the columns (--vector " + name + "=a,b,c)");
            }
            List<String> matched = new ArrayList<>();
            for (String c : inputColumns) {
                if (c.startsWith(prefix)) {
                    matched.add(c);
                }
            }
            if (matched.isEmpty()) {
                throw new IllegalArgumentException(file + ": no column starts with '" + prefix + "' (--vector " + name + "="
                        + prefix + "*); columns: " + String.join(", ", inputColumns));
            }
            return new VectorColumns(name, matched, null);
        }
        if (inputColumns != null) {
            for (String c : columns) {
                if (!inputColumns.contains(c)) {
                    throw new IllegalArgumentException(file + " field '" + c + "': no such column (--vector " + name
                            + " gathers it); columns: " + String.join(", ", inputColumns));
                }
            }
        }
        return this;
    }

    /** How it was asked for, for the manifest and messages. */
    String spec() {
        return name + "=" + (prefix != null ? prefix + "*" : String.join(",", columns));
    }
}
