package io.metagrad.spark.select;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MgdUpdateTest {

    @Test
    void stepsAgainstTheSignOfTheMetagradientAndClipsAtZero() {
        int[] counts = {1, 1, 0, 3, 2};
        double[] g = {0.5, -0.2, 0.7, 0.0, -1e-12};
        MgdUpdate.Outcome o = MgdUpdate.apply(counts, g, 2, 1.0, 7, 1);
        assertArrayEquals(new int[] {0, 3, 0, 3, 4}, o.counts());
        assertArrayEquals(new int[] {-1, 2, 0, 0, 2}, o.delta());
        assertEquals(5, o.masked());
        assertEquals(3, o.changed());
        assertArrayEquals(new int[] {1, 1, 0, 3, 2}, counts, "input untouched");
    }

    @Test
    void maskIsAFunctionOfSeedAndStepWithRateP() {
        int n = 20_000;
        int[] counts = new int[n];
        Arrays.fill(counts, 5);
        double[] g = new double[n];
        Arrays.fill(g, 1.0);
        MgdUpdate.Outcome a = MgdUpdate.apply(counts, g, 1, 0.3, 42, 3);
        MgdUpdate.Outcome again = MgdUpdate.apply(counts, g, 1, 0.3, 42, 3);
        MgdUpdate.Outcome nextStep = MgdUpdate.apply(counts, g, 1, 0.3, 42, 4);
        MgdUpdate.Outcome otherSeed = MgdUpdate.apply(counts, g, 1, 0.3, 43, 3);
        assertArrayEquals(a.counts(), again.counts());
        assertFalse(Arrays.equals(a.counts(), nextStep.counts()));
        assertFalse(Arrays.equals(a.counts(), otherSeed.counts()));
        assertEquals(0.3, a.masked() / (double) n, 0.02);
        assertEquals(a.masked(), a.changed());
    }

    @Test
    void refusesNonFiniteMetagradients() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> MgdUpdate.apply(new int[] {1, 1}, new double[] {0, Double.NaN}, 1, 0.5, 0, 2));
        assertTrue(e.getMessage().contains("row 1"), e.getMessage());
        assertTrue(e.getMessage().contains("step 2"), e.getMessage());
    }
}
