package io.metagrad.spark.curate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parameters of the curate job.
 *
 * @param input the table to curate: the pool or its features table (any Parquet table with a unique
 *     {@code uid} column); the curated table keeps its columns
 * @param selection a finished select run directory (its {@code selection/}, {@code metrics.jsonl})
 * @param output directory to write: {@code curated/}, {@code subset.npy}, {@code summary.json}; committed at once
 * @param overwrite replace an existing output; default false
 */
public record CurateParams(String input, String selection, String output, boolean overwrite) {

    public CurateParams {
        require("curate.input", input);
        require("curate.selection", selection);
        require("curate.output", output);
    }

    private static void require(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required (a path or URI)");
        }
    }

    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input", input);
        m.put("selection", selection);
        m.put("output", output);
        m.put("overwrite", overwrite);
        return m;
    }
}
