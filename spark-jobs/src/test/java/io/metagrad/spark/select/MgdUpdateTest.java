package io.metagrad.spark.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MgdUpdateTest {

    @Test
    void stepsAgainstTheSignOfTheMetagradientAndClipsAtZero() {
        assertEquals(0, MgdUpdate.next(1, 0.5, 2));
        assertEquals(3, MgdUpdate.next(1, -0.2, 2));
        assertEquals(0, MgdUpdate.next(0, 0.7, 2));
        assertEquals(3, MgdUpdate.next(3, 0.0, 2), "a zero metagradient leaves the count");
        assertEquals(4, MgdUpdate.next(2, -1e-12, 2));
    }

    @Test
    void maskIsAFunctionOfSeedStepAndRowWithRateP() {
        int n = 20_000;
        long drawn = IntStream.range(0, n).filter(i -> MgdUpdate.drawn(42, 3, i, 0.3)).count();
        assertEquals(0.3, drawn / (double) n, 0.02);
        int[] a = IntStream.range(0, n).map(i -> MgdUpdate.drawn(42, 3, i, 0.3) ? 1 : 0).toArray();
        int[] again = IntStream.range(0, n).map(i -> MgdUpdate.drawn(42, 3, i, 0.3) ? 1 : 0).toArray();
        int[] nextStep = IntStream.range(0, n).map(i -> MgdUpdate.drawn(42, 4, i, 0.3) ? 1 : 0).toArray();
        int[] otherSeed = IntStream.range(0, n).map(i -> MgdUpdate.drawn(43, 3, i, 0.3) ? 1 : 0).toArray();
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(again));
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(nextStep));
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(otherSeed));
        assertEquals(n, IntStream.range(0, n).filter(i -> MgdUpdate.drawn(1, 1, i, 1.0)).count(), "p = 1 draws everything");
    }
}
