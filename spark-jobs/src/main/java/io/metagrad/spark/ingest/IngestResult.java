package io.metagrad.spark.ingest;

import java.util.List;

/**
 * What an ingest wrote.
 *
 * @param output         the pool table
 * @param rows           rows in the pool table
 * @param files          Parquet files in the pool table
 * @param badRows        rows set aside (0 unless quarantining)
 * @param quarantine     the quarantine table, or null when not quarantining
 * @param embeddings     names of the pool's {@code emb_<name>} columns
 * @param ignoredColumns input columns dropped as not being pool fields
 */
public record IngestResult(String output, long rows, int files, long badRows, String quarantine, List<String> embeddings,
        List<String> ignoredColumns) {

    /** One line per fact, for the console. */
    public String summary() {
        StringBuilder s = new StringBuilder("ingest: wrote " + rows + " rows in " + files + " files to " + output);
        if (!embeddings.isEmpty()) {
            s.append("\ningest: embeddings: ").append(String.join(", ", embeddings));
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
