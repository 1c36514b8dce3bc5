package io.metagrad.core.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SpearmanTest {

    @Test
    void ranksAverageTies() {
        assertArrayEquals(new double[] {1, 2.5, 2.5, 4}, Spearman.ranks(new double[] {0.1, 5, 5, 9}), 0);
    }

    @Test
    void monotoneIsOneReversedIsMinusOne() {
        double[] a = {1, 2, 3, 4, 5};
        assertEquals(1.0, Spearman.correlation(a, new double[] {10, 20, 35, 100, 1000}), 1e-12);
        assertEquals(-1.0, Spearman.correlation(a, new double[] {5, 4, 3, 2, 1}), 1e-12);
        // scipy.stats.spearmanr([1,2,3,4,5],[2,1,4,3,5]) = 0.8
        assertEquals(0.8, Spearman.correlation(a, new double[] {2, 1, 4, 3, 5}), 1e-12);
    }
}
