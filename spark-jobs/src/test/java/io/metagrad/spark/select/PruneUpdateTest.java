package io.metagrad.spark.select;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PruneUpdateTest {

    @Test
    void stepsReachTheBudgetExactly() {
        assertEquals(40, PruneUpdate.perStep(0.02, 2000));
        assertEquals(35, PruneUpdate.steps(2000, 600, 0.02), "1,400 to drop, 40 per step");
        assertEquals(0, PruneUpdate.steps(100, 100, 0.1));
        assertEquals(1, PruneUpdate.perStep(0.001, 10), "at least one item per step");
        assertEquals(40, PruneUpdate.dropAt(2000, 600, 0.02, 2000));
        assertEquals(5, PruneUpdate.dropAt(605, 600, 0.02, 2000), "the last step drops only down to the budget");
        assertEquals(0, PruneUpdate.dropAt(600, 600, 0.02, 2000));
    }
}
