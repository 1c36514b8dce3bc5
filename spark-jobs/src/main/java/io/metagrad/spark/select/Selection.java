package io.metagrad.spark.select;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Turns the counts of the best iterate into the selection: the uids with count &gt; 0, ranked by
 * count (descending), then metagradient (ascending: more negative = more helpful to upweight),
 * then uid. A budget keeps exactly that many items (so MGD is compared with other methods at the
 * same size): the first ranks, and when MGD kept fewer, the items it dropped fill the rest, most
 * helpful metagradient first, each with count 1.
 */
final class Selection {

    private Selection() {}

    /**
     * How much to keep at the end: at most {@code count} items, or at most {@code ⌈fraction·pool⌉};
     * neither set keeps every item with count &gt; 0.
     */
    record Budget(long count, double fraction) {
        Budget {
            if (count < 0) {
                throw new IllegalArgumentException("select.keep = " + count + " invalid; must be >= 0 (0 = no limit)");
            }
            if (!(fraction >= 0 && fraction <= 1)) {
                throw new IllegalArgumentException("select.keepFraction = " + fraction + " invalid; must be in [0, 1] (0 = no limit)");
            }
            if (count > 0 && fraction > 0) {
                throw new IllegalArgumentException("give --keep or --keep-fraction, not both");
            }
        }

        static Budget none() {
            return new Budget(0, 0);
        }

        long limit(int poolSize) {
            if (count > 0) {
                return count;
            }
            return fraction > 0 ? (long) Math.ceil(fraction * poolSize) : poolSize;
        }
    }

    /** Rows of {@code selection/v1}: uid, count, metagrad (null when NaN), rank. */
    static List<Row> rank(String[] uids, int[] counts, double[] metagrad, Budget budget) {
        boolean fill = budget.count() > 0 || budget.fraction() > 0;
        Integer[] order = java.util.stream.IntStream.range(0, uids.length).filter(i -> fill || counts[i] > 0).boxed()
                .toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingInt(i -> -counts[i])
                .thenComparingDouble(i -> metagrad[i])
                .thenComparing(i -> uids[i]));
        long limit = Math.min(order.length, budget.limit(uids.length));
        List<Row> rows = new ArrayList<>((int) limit);
        for (int r = 0; r < limit; r++) {
            int i = order[r];
            rows.add(RowFactory.create(uids[i], Math.max(1, counts[i]), Double.isNaN(metagrad[i]) ? null : metagrad[i], r + 1));
        }
        return rows;
    }
}
