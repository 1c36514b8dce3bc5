package io.metagrad.spark.ingest;

import java.util.List;

/**
 * What an ingest wrote.
 *
 * @param output         the pool table (with {@code --split}: the directory of the split tables)
 * @param rows           rows in the pool table (all splits)
 * @param files          Parquet files in the pool table (all splits)
 * @param badRows        rows set aside (0 unless quarantining)
 * @param quarantine     the quarantine table, or null when not quarantining
 * @param embeddings     names of the pool's {@code emb_<name>} columns
 * @param ignoredColumns input columns dropped as not being pool fields
 * @param labels         with {@code --index-labels}: the label strings by id; else empty
 * @param splits         with {@code --split}: each split's own result, in the order given; else empty
 */
public record IngestResult(String output, long rows, int files, long badRows, String quarantine, List<String> embeddings,
        List<String> ignoredColumns, List<String> labels, List<IngestResult> splits) {

    public IngestResult {
        labels = List.copyOf(labels);
        splits = List.copyOf(splits);
    }

    public IngestResult(String output, long rows, int files, long badRows, String quarantine, List<String> embeddings,
            List<String> ignoredColumns) {
        this(output, rows, files, badRows, quarantine, embeddings, ignoredColumns, List.of(), List.of());
    }

    IngestResult(String output, long rows, int files, long badRows, String quarantine, List<String> embeddings,
            List<String> ignoredColumns, List<String> labels) {
        this(output, rows, files, badRows, quarantine, embeddings, ignoredColumns, labels, List.of());
    }

    /** The result of a {@code --split} ingest: totals over the splits, and each split's own. */
    static IngestResult ofSplits(String output, List<IngestResult> splits) {
        IngestResult first = splits.get(0);
        return new IngestResult(output, splits.stream().mapToLong(IngestResult::rows).sum(), splits.stream().mapToInt(IngestResult::files).sum(),
                splits.stream().mapToLong(IngestResult::badRows).sum(), null, first.embeddings(), first.ignoredColumns(), first.labels(),
                splits);
    }

    /** The split {@code name}'s result (its table is {@code <output>/<name>}). */
    public IngestResult split(String name) {
        String suffix = "/" + name;
        return splits.stream().filter(s -> s.output().endsWith(suffix)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no split " + name));
    }

    /** One line per fact, for the console. */
    public String summary() {
        if (!splits.isEmpty()) {
            StringBuilder s = new StringBuilder();
            for (IngestResult split : splits) {
                s.append(split.summary()).append('\n');
            }
            return s.toString().strip();
        }
        StringBuilder s = new StringBuilder("ingest: wrote " + rows + " rows in " + files + " files to " + output);
        if (!embeddings.isEmpty()) {
            s.append("\ningest: embeddings: ").append(String.join(", ", embeddings));
        }
        if (!labels.isEmpty()) {
            s.append("\ningest: label ids: ").append(LabelNames.describe(labels));
        }
        if (!ignoredColumns.isEmpty()) {
            s.append("\ningest: ignored input columns: ").append(String.join(", ", ignoredColumns));
        }
        if (quarantine != null) {
            s.append("\ningest: ").append(badRows).append(" bad rows quarantined to ").append(quarantine);
        }
        return s.toString();
    }
}
