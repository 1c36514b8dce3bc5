package io.metagrad.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.core.data.TrainingData;
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

    @Test
    void trainingDataKeepsTheTableValuesInUidOrder() {
        float third = 1f / 3; // tables hold floats; widening back to double must not change them
        FeatureRows rows = FeatureRows.of(new FeatureMatrix(new String[] {"b", "a"}, new double[][] {{third, 2}, {-0.1f, 4}},
                new int[] {1, 0}, new double[][] {{0.7f}, {0.3f}}), "pool");
        TrainingData labels = rows.withLabels(3);
        assertArrayEquals(new double[] {-0.1f, 4, third, 2}, labels.features(), 0.0);
        assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0}, labels.targets(), 0.0);
        assertArrayEquals(new double[] {0.3f, 0.7f}, rows.withTargets().targets(), 0.0);
        assertArrayEquals(new String[] {"a"}, rows.first(1).uids());
        assertEquals(2, rows.first(0).size());
    }

    @Test
    void missingTargetsAndBadLabelsNameTheTable() {
        FeatureRows rows = FeatureRows.of(new FeatureMatrix(new String[] {"a"}, new double[][] {{1}}, new int[] {-1}, null), "pool");
        IllegalArgumentException targets = assertThrows(IllegalArgumentException.class, rows::withTargets);
        assertTrue(targets.getMessage().contains("pool has no 'target' vectors"), targets.getMessage());
        IllegalArgumentException labels = assertThrows(IllegalArgumentException.class, () -> rows.withLabels(2));
        assertTrue(labels.getMessage().contains("pool uid a: field 'label' = null"), labels.getMessage());
    }
}
