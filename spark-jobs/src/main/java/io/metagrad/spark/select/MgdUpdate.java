package io.metagrad.spark.select;

import io.metagrad.core.data.ItemKeys;

/**
 * The signed, block-coordinate MGD step on integer counts (method.md §4), item by item:
 * {@code c ← max(0, c − m·sign(g))} where the mask draws the item, each with probability {@code p}.
 * The mask is a hash of {@code (seed, step, row)} alone — no random stream to replay in order — so
 * Spark computes it in any partition and a resumed run redraws exactly the same mask.
 */
final class MgdUpdate {

    private MgdUpdate() {}

    /** Whether item {@code row} is updated at MGD step {@code step}. */
    static boolean drawn(long seed, int step, int row, double p) {
        long h = ItemKeys.mix(ItemKeys.mix(seed ^ 0x5851F42D4C957F2DL) + 0x9E3779B97F4A7C15L * (step + 1L) + row);
        double u = (h >>> 11) * 0x1.0p-53;
        return u < p;
    }

    /** The count after a drawn item's step: against the metagradient's sign, clipped at 0. */
    static int next(int count, double metagrad, int stepSize) {
        int change = metagrad > 0 ? -stepSize : metagrad < 0 ? stepSize : 0;
        return Math.max(0, count + change);
    }
}
