package io.metagrad.spark.select;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What DataComp's leaderboard filters ({@link FilterSelectJob}) read beyond the features tables.
 *
 * @param metadata the ingested pool table (pool/v1: {@code text}, {@code original_width}/{@code original_height},
 *     similarity scores), joined to the features by uid; null when the method needs none
 * @param scoreColumn the pool-table column {@code clip-score} and {@code clip-image} rank by, e.g.
 *     {@code clip_l14_similarity_score}; null: {@code clip-score} is the scoring baseline of a reference head
 * @param clusters the KMeans clusters of {@code image-based} and {@code clip-image}
 */
public record FilterParams(String metadata, String scoreColumn, int clusters) {

    public FilterParams {
        if (clusters < 2) {
            throw new IllegalArgumentException("--clusters " + clusters + " invalid; must be >= 2");
        }
    }

    /** No metadata, no score column, 10 clusters. */
    public static FilterParams none() {
        return new FilterParams(null, null, 10);
    }

    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("metadata", metadata);
        m.put("score_column", scoreColumn);
        m.put("clusters", clusters);
        return m;
    }
}
