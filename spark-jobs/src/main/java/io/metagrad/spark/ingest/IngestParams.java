package io.metagrad.spark.ingest;

import io.metagrad.spark.io.AtomicOutput;
import io.metagrad.spark.schema.Table;
import io.metagrad.spark.schema.TableSchemas;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Parameters of {@link IngestJob}. Build with {@link #of(List, String)} and the {@code with…}
 * methods; every value is checked here.
 *
 * @param inputs        files, directories or globs to read (at least one)
 * @param format        input format; default {@link InputFormat#AUTO} (by file name)
 * @param output        the pool table to write (a directory)
 * @param shards        number of Parquet files to write, 1–10000; default 4 (fewer when rows are few)
 * @param onBad         what to do with bad rows; default {@link OnBad#FAIL}
 * @param quarantine    where bad rows go with {@link OnBad#QUARANTINE}; default {@code <output>_quarantine}
 * @param overwrite     replace existing outputs; default false
 * @param require       fields besides uid that every row must have (pool fields or {@code emb_<name>}); default none
 * @param ignoreUnknown drop input fields that are not pool fields instead of rejecting them; default false
 * @param allowEmpty    write an empty pool when the inputs hold no rows (otherwise that is an error); default false
 * @param tabular       plain columns as pool fields ({@code --vector}, {@code --label-column}, {@code --index-labels});
 *                      default {@link TabularColumns#NONE}
 * @param splits        with {@code --split}: one table per split under {@code output} ({@code inputs} is then empty),
 *                      sharing the label index fitted on the first; default none
 * @param keepColumns   DataComp metadata columns that are no pool fields, kept as typed columns of the pool
 *                      ({@code --keep-column}; numeric → bigint or double, string → string); default none
 */
public record IngestParams(List<String> inputs, InputFormat format, String output, int shards, OnBad onBad,
        String quarantine, boolean overwrite, Set<String> require, boolean ignoreUnknown, boolean allowEmpty,
        TabularColumns tabular, List<IngestSplit> splits, List<String> keepColumns) {

    public static final int DEFAULT_SHARDS = 4;

    public IngestParams {
        splits = splits == null ? List.of() : List.copyOf(splits);
        inputs = inputs == null ? List.of() : inputs;
        if (!splits.isEmpty() && !inputs.isEmpty()) {
            throw new IllegalArgumentException("ingest takes --input (one table) or --split NAME=PATH (one table per split), not both");
        }
        if (splits.isEmpty() && (inputs.isEmpty() || inputs.stream().anyMatch(s -> s == null || s.isBlank()))) {
            throw new IllegalArgumentException("ingest needs --input (a file, directory or glob) or --split NAME=PATH");
        }
        inputs = List.copyOf(inputs);
        java.util.Set<String> names = new java.util.HashSet<>();
        for (IngestSplit sp : splits) {
            if (!names.add(sp.name())) {
                throw new IllegalArgumentException("--split " + sp.name() + " is given twice");
            }
        }
        tabular = tabular == null ? TabularColumns.NONE : tabular;
        keepColumns = List.copyOf(keepColumns == null ? List.of() : keepColumns);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String c : keepColumns) {
            if (c.isBlank() || c.startsWith("_") || !seen.add(c)) {
                throw new IllegalArgumentException("ingest --keep-column '" + c + "' invalid (blank, repeated, or starting"
                        + " with _, which ingest's own columns use)");
            }
            if (ColumnCheck.isPoolColumn(c) || c.startsWith(TableSchemas.EMBEDDING_PREFIX)) {
                throw new IllegalArgumentException("ingest --keep-column '" + c + "': that is a " + Table.POOL.id()
                        + " field name; ingest keeps pool fields without being asked");
            }
        }
        if (output == null || output.isBlank()) {
            throw new IllegalArgumentException("ingest needs --output (the pool table directory)");
        }
        if (format == null) {
            format = InputFormat.AUTO;
        }
        if (shards < 1 || shards > 10_000) {
            throw new IllegalArgumentException("ingest --shards = " + shards + " is invalid; must be in 1..10000");
        }
        if (onBad == null) {
            onBad = OnBad.FAIL;
        }
        if (quarantine == null || quarantine.isBlank()) {
            quarantine = stripSlash(output) + "_quarantine";
        }
        if (stripSlash(quarantine).equals(stripSlash(output))) {
            throw new IllegalArgumentException("ingest --quarantine must differ from --output");
        }
        require = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(require == null ? Set.of() : require));
        for (String field : require) {
            boolean embedding = field.startsWith(TableSchemas.EMBEDDING_PREFIX)
                    && TableSchemas.isEmbeddingName(field.substring(TableSchemas.EMBEDDING_PREFIX.length()));
            if (!embedding && (field.equals("uid") || !CheckedRows.POOL_FIELDS.contains(field))) {
                throw new IllegalArgumentException("ingest --require '" + field + "' is not an optional " + Table.POOL.id()
                        + " field (text, url, image, pixels, label, source or emb_<name>)");
            }
        }
    }

    /** Without tabular columns, splits or kept columns (the plain pool input). */
    public IngestParams(List<String> inputs, InputFormat format, String output, int shards, OnBad onBad, String quarantine,
            boolean overwrite, Set<String> require, boolean ignoreUnknown, boolean allowEmpty) {
        this(inputs, format, output, shards, onBad, quarantine, overwrite, require, ignoreUnknown, allowEmpty, TabularColumns.NONE,
                List.of(), List.of());
    }

    /** Every input, of every split. */
    public List<String> allInputs() {
        if (splits.isEmpty()) {
            return inputs;
        }
        List<String> all = new java.util.ArrayList<>();
        splits.forEach(sp -> all.addAll(sp.inputs()));
        return all;
    }

    public IngestParams withTabular(TabularColumns t) {
        return new IngestParams(inputs, format, output, shards, onBad, quarantine, overwrite, require, ignoreUnknown, allowEmpty, t,
                splits, keepColumns);
    }

    /** One table per split under {@code output} (the inputs given so far are dropped: a split names its own). */
    public IngestParams withSplits(List<IngestSplit> s) {
        return new IngestParams(List.of(), format, output, shards, onBad, quarantine, overwrite, require, ignoreUnknown, allowEmpty,
                tabular, s, keepColumns);
    }

    /** Defaults for everything but the inputs and the output. */
    public static IngestParams of(List<String> inputs, String output) {
        return new IngestParams(inputs, InputFormat.AUTO, output, DEFAULT_SHARDS, OnBad.FAIL, null, false, Set.of(), false, false);
    }

    /** Defaults, with one table per split under {@code output}. */
    public static IngestParams ofSplits(List<IngestSplit> splits, String output) {
        return new IngestParams(List.of(), InputFormat.AUTO, output, DEFAULT_SHARDS, OnBad.FAIL, null, false, Set.of(), false, false,
                TabularColumns.NONE, splits, List.of());
    }

    public IngestParams withFormat(InputFormat f) {
        return new IngestParams(inputs, f, output, shards, onBad, quarantine, overwrite, require, ignoreUnknown, allowEmpty, tabular, splits, keepColumns);
    }

    public IngestParams withShards(int n) {
        return new IngestParams(inputs, format, output, n, onBad, quarantine, overwrite, require, ignoreUnknown, allowEmpty, tabular, splits, keepColumns);
    }

    public IngestParams withOnBad(OnBad o) {
        return new IngestParams(inputs, format, output, shards, o, quarantine, overwrite, require, ignoreUnknown, allowEmpty, tabular, splits, keepColumns);
    }

    public IngestParams withQuarantine(String path) {
        return new IngestParams(inputs, format, output, shards, onBad, path, overwrite, require, ignoreUnknown, allowEmpty, tabular, splits, keepColumns);
    }

    public IngestParams withOverwrite(boolean o) {
        return new IngestParams(inputs, format, output, shards, onBad, quarantine, o, require, ignoreUnknown, allowEmpty, tabular, splits, keepColumns);
    }

    public IngestParams withRequire(Set<String> fields) {
        return new IngestParams(inputs, format, output, shards, onBad, quarantine, overwrite, fields, ignoreUnknown, allowEmpty, tabular, splits, keepColumns);
    }

    public IngestParams withIgnoreUnknown(boolean i) {
        return new IngestParams(inputs, format, output, shards, onBad, quarantine, overwrite, require, i, allowEmpty, tabular, splits, keepColumns);
    }

    public IngestParams withAllowEmpty(boolean a) {
        return new IngestParams(inputs, format, output, shards, onBad, quarantine, overwrite, require, ignoreUnknown, a, tabular, splits, keepColumns);
    }

    public IngestParams withKeepColumns(List<String> columns) {
        return new IngestParams(inputs, format, output, shards, onBad, quarantine, overwrite, require, ignoreUnknown, allowEmpty, tabular,
                splits, columns);
    }

    /** These settings writing to {@code out}, the quarantine at its default beside it (how mgd prepare stages a pool). */
    public IngestParams writingTo(String out) {
        return new IngestParams(inputs, format, out, shards, onBad, null, overwrite, require, ignoreUnknown, allowEmpty, tabular,
                splits, keepColumns);
    }

    /** The output paths as they will be once a staged output that holds them is committed (what a manifest records). */
    IngestParams committed() {
        return new IngestParams(inputs, format, AtomicOutput.committedPath(output), shards, onBad,
                AtomicOutput.committedPath(quarantine), overwrite, require, ignoreUnknown, allowEmpty, tabular, splits, keepColumns);
    }

    private static String stripSlash(String path) {
        String p = path.strip();
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
