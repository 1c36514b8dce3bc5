package io.metagrad.core.mgd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ClassificationScoresTest {

    @Test
    void majorityClassEverywhereIsAccurateButNotBalanced() {
        int[] labels = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1};
        ClassificationScores s = ClassificationScores.of(new int[10], labels);
        assertEquals(0.8, s.accuracy(), 1e-12);
        assertEquals(0.5, s.balancedAccuracy(), 1e-12);
    }

    @Test
    void balancedAccuracyAveragesRecallOverPresentClasses() {
        // class 0: 2 of 3 right, class 2: 1 of 1; class 1 never occurs and is not averaged.
        ClassificationScores s = ClassificationScores.of(new int[] {0, 0, 1, 2}, new int[] {0, 0, 0, 2});
        assertEquals(0.75, s.accuracy(), 1e-12);
        assertEquals((2.0 / 3 + 1) / 2, s.balancedAccuracy(), 1e-12);
    }

    @Test
    void mismatchedLengthsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ClassificationScores.of(new int[2], new int[3]));
    }
}
