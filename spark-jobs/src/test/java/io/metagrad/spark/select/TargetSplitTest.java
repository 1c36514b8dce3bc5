package io.metagrad.spark.select;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.spark.train.FeatureRows;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TargetSplitTest {

    private static FeatureRows examples(int n, boolean reversed) {
        String[] uids = IntStream.range(0, n).mapToObj(i -> "t" + (reversed ? n - 1 - i : i)).toArray(String[]::new);
        double[][] x = new double[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int id = Integer.parseInt(uids[i].substring(1));
            x[i] = new double[] {id, -id};
            labels[i] = id % 3;
        }
        return FeatureRows.of(new io.metagrad.spark.io.FeatureMatrix(uids, x, labels, null), "targets");
    }

    @Test
    void splitsByUidHashWhateverTheRowOrder() {
        TargetSplit.Parts a = TargetSplit.split(examples(50, false), 0.3);
        TargetSplit.Parts b = TargetSplit.split(examples(50, true), 0.3);
        assertEquals(15, a.heldout().size());
        assertEquals(35, a.target().size());
        assertArrayEquals(a.heldout().uids(), b.heldout().uids());
        assertArrayEquals(a.target().uids(), b.target().uids());
        Set<String> all = new HashSet<>(Arrays.asList(a.heldout().uids()));
        all.addAll(Arrays.asList(a.target().uids()));
        assertEquals(50, all.size());
        // rows keep their features and labels
        for (int r = 0; r < a.heldout().size(); r++) {
            int id = Integer.parseInt(a.heldout().uid(r).substring(1));
            assertEquals(id % 3, a.heldout().label(r));
        }
    }

    @Test
    void refusesSplitsLeavingAnEmptyPart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TargetSplit.split(examples(1, false), 0.5));
        assertTrue(e.getMessage().contains("targets"), e.getMessage());
    }
}
