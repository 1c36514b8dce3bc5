package io.metagrad.spark.train;

import java.util.Map;
import java.util.TreeMap;

/**
 * Checks across the tables of one job, run on the driver before any training starts, so that a
 * mismatch fails with the table, field and value at fault (exit 2) instead of deep inside a task:
 * feature widths that differ from the pool's, classes the pool has no example of, budgets larger
 * than the pool.
 */
public final class TableChecks {

    private TableChecks() {}

    /**
     * Every table has the pool's feature width.
     *
     * @param others option → table (e.g. {@code --test} → its rows); null tables are skipped
     */
    public static void sameWidth(String job, String poolOption, FeatureRows pool, Map<String, FeatureRows> others) {
        sameWidth(job, poolOption, pool.source(), pool.width(), others);
    }

    /** As {@link #sameWidth(String, String, FeatureRows, Map)} for a pool known by its source and width (a streamed pool). */
    public static void sameWidth(String job, String poolOption, String poolSource, int poolWidth,
            Map<String, FeatureRows> others) {
        others.forEach((option, t) -> {
            if (t != null && t.width() != poolWidth) {
                throw new IllegalArgumentException(job + " " + option + " " + t.source() + ": field 'features' has width "
                        + t.width() + ", but " + poolOption + " " + poolSource + " has " + poolWidth
                        + "; featurize both the same way (mgd featurize --fitted-from the pool's features)");
            }
        });
    }

    /**
     * Every class a labelled table asks about has examples in the pool: no selection of the pool can teach a
     * class it lacks, and a score on it would only measure that. Rows without a label are not checked.
     */
    public static void classesInPool(String job, String poolOption, FeatureRows pool, Map<String, FeatureRows> labelled) {
        java.util.Set<Integer> inPool = new java.util.HashSet<>();
        for (int r = 0; r < pool.size(); r++) {
            inPool.add(pool.label(r));
        }
        classesInPool(job, poolOption, pool.source(), inPool, labelled);
    }

    /** As above, for a pool known by its source and the set of labels it has (e.g. counted by Spark). */
    public static void classesInPool(String job, String poolOption, String poolSource, java.util.Set<Integer> inPool,
            Map<String, FeatureRows> labelled) {
        labelled.forEach((option, t) -> {
            if (t == null) {
                return;
            }
            Map<Integer, int[]> missing = new TreeMap<>(); // class → {rows, first row}
            for (int r = 0; r < t.size(); r++) {
                int c = t.label(r);
                if (c >= 0 && !inPool.contains(c)) {
                    missing.computeIfAbsent(c, k -> new int[] {0, -1});
                    int[] m = missing.get(c);
                    m[0]++;
                    m[1] = m[1] < 0 ? r : m[1];
                }
            }
            if (!missing.isEmpty()) {
                int c = missing.keySet().iterator().next();
                int[] m = missing.get(c);
                throw new IllegalArgumentException(job + " " + option + " " + t.source() + " field 'label': class " + c + " ("
                        + m[0] + (m[0] == 1 ? " row" : " rows") + ", first uid " + t.uid(m[1]) + ") has no example in "
                        + poolOption + " " + poolSource + (missing.size() > 1 ? " (nor do classes " + missing.keySet() + ")" : "")
                        + "; drop those rows or add such items to the pool");
            }
        });
    }

    /** {@code --keep N} keeps at most the pool. */
    public static void keepWithinPool(String job, long keep, FeatureRows pool) {
        keepWithinPool(job, keep, pool.size(), pool.source());
    }

    /** {@code --keep N} keeps at most the {@code poolSize} items of the pool at {@code poolSource}. */
    public static void keepWithinPool(String job, long keep, long poolSize, String poolSource) {
        if (keep > poolSize) {
            throw new IllegalArgumentException(job + " --keep " + keep + " exceeds the " + poolSize + " items of the pool "
                    + poolSource + "; give at most " + poolSize + " (or --keep-fraction)");
        }
    }
}
