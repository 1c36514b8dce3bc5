package io.metagrad.spark.select;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PruneUpdateTest {

    private static final double NAN = Double.NaN;

    @Test
    void dropsTheKeptItemsWithTheLargestMetagradient() {
        int[] counts = {1, 1, 0, 1, 1, 1};
        double[] g = {0.3, -0.2, NAN, 0.5, 0.3, -1.0};
        MgdUpdate.Outcome o = PruneUpdate.apply(counts, g, 2, 1);
        // 0.5 first, then the tie at 0.3 goes to the lower row.
        assertArrayEquals(new int[] {0, 1, 0, 0, 1, 1}, o.counts());
        assertArrayEquals(new int[] {-1, 0, 0, -1, 0, 0}, o.delta());
        assertEquals(5, o.masked(), "every kept item was a candidate");
        assertEquals(2, o.changed());
    }

    @Test
    void dropsNoMoreThanAreKept() {
        MgdUpdate.Outcome o = PruneUpdate.apply(new int[] {0, 1}, new double[] {NAN, -3}, 5, 1);
        assertArrayEquals(new int[] {0, 0}, o.counts());
    }

    @Test
    void stepsReachTheBudgetExactly() {
        assertEquals(40, PruneUpdate.perStep(0.02, 2000));
        assertEquals(35, PruneUpdate.steps(2000, 600, 0.02), "1,400 to drop, 40 per step");
        assertEquals(0, PruneUpdate.steps(100, 100, 0.1));
        assertEquals(1, PruneUpdate.perStep(0.001, 10), "at least one item per step");
    }

    @Test
    void aNonFiniteMetagradientOfAKeptItemIsAnError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PruneUpdate.apply(new int[] {1, 1}, new double[] {0.1, NAN}, 1, 4));
        assertTrue(e.getMessage().contains("pool row 1") && e.getMessage().contains("step 4"), e.getMessage());
    }
}
