package io.metagrad.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.spark.io.FeatureMatrix;
import org.junit.jupiter.api.Test;

class FeatureRowsTest {

    @Test
    void rowsAreSortedByUidAndDuplicatesRejected() {
        FeatureRows rows = FeatureRows.of(new FeatureMatrix(new String[] {"c", "a", "b"}, new double[][] {{3}, {1}, {2}},
                new int[] {2, 0, 1}, null), "pool");
        assertArrayEquals(new String[] {"a", "b", "c"}, rows.uids());
        assertArrayEquals(new int[] {0, 1, 2}, new int[] {rows.label(0), rows.label(1), rows.label(2)});
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class, () -> FeatureRows.of(
                new FeatureMatrix(new String[] {"x", "x"}, new double[][] {{1}, {2}}, new int[] {0, 1}, null), "pool"));
        assertTrue(dup.getMessage().contains("uid x"), dup.getMessage());
    }
}
