package io.metagrad.core.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReplayPlanTest {

    @Test
    void cutsPartitionTheSegmentIntoNearlyEqualPieces() {
        ReplayPlan plan = new ReplayPlan(100, 3);
        assertArrayEquals(new int[] {10, 14, 17, 20}, plan.cuts(10, 20));
        for (int n = 4; n < 60; n++) {
            int[] c = plan.cuts(0, n);
            assertEquals(0, c[0]);
            assertEquals(n, c[3]);
            for (int j = 0; j < 3; j++) {
                int size = c[j + 1] - c[j];
                assertTrue(size == n / 3 || size == n / 3 + 1, "piece " + j + " of " + n);
            }
        }
    }

    @Test
    void levelsAreCeilingLogK() {
        assertEquals(1, new ReplayPlan(4, 4).levels());
        assertEquals(2, new ReplayPlan(5, 4).levels());
        assertEquals(2, new ReplayPlan(16, 4).levels());
        assertEquals(3, new ReplayPlan(17, 4).levels());
        assertEquals(7, new ReplayPlan(100, 2).levels());
        assertEquals(1, new ReplayPlan(100, 100).levels());
        assertEquals(101, new ReplayPlan(100, 100).stateBound());
    }

    @Test
    void rejectsKBelowTwo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ReplayPlan(10, 1));
        assertTrue(e.getMessage().contains("k = 1"));
    }
}
