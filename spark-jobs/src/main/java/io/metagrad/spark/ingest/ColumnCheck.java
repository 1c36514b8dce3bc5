package io.metagrad.spark.ingest;

import io.metagrad.spark.schema.TableSchemas;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks the column names of a columnar input (CSV header, Parquet schema) before any row is
 * read: unknown columns (unless ignored), repeated ones, and missing required ones are errors
 * that name the file and the field.
 */
final class ColumnCheck {

    private ColumnCheck() {}

    /**
     * @param datacomp DataComp metadata: unknown columns are dropped, embeddings come from .npz files
     * @param rules    already {@linkplain CheckRules#resolve resolved} against {@code columns}
     * @return the columns to drop (unknown ones, when {@code rules.ignoreUnknown()} or DataComp)
     * @throws IllegalArgumentException naming {@code file} and the field at fault
     */
    static List<String> check(String file, List<String> columns, CheckRules rules, boolean datacomp) {
        List<String> ignored = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String c : columns) {
            if (!seen.add(c)) {
                throw new IllegalArgumentException(file + " field '" + c + "': the column appears twice");
            }
            if (!isPoolColumn(c) && !rules.tabular().consumes(c)) {
                if (!rules.ignoreUnknown() && !datacomp) {
                    throw new IllegalArgumentException(file + " field '" + c + "': " + CheckedRows.unknown(c).getMessage());
                }
                ignored.add(c);
            }
        }
        seen = new HashSet<>(rules.tabular().poolFields(columns)); // gathered vectors and the label column count as theirs
        List<String> required = new ArrayList<>(rules.required());
        required.sort(null);
        required.add(0, "uid");
        for (String r : required) {
            if (datacomp && r.startsWith(TableSchemas.EMBEDDING_PREFIX)) {
                continue; // DataComp embeddings come from the .npz files, checked row by row
            }
            if (!seen.contains(r)) {
                throw new IllegalArgumentException(file + " field '" + rules.tabular().inputName(r) + "': no such column, and "
                        + (r.equals("uid") ? "every pool row needs a uid" : "--require asks for it"));
            }
        }
        return ignored;
    }

    static boolean isPoolColumn(String c) {
        return CheckedRows.POOL_FIELDS.contains(c) || c.startsWith(TableSchemas.EMBEDDING_PREFIX)
                && TableSchemas.isEmbeddingName(c.substring(TableSchemas.EMBEDDING_PREFIX.length()));
    }
}
