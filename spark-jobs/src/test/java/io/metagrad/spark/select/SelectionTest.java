package io.metagrad.spark.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class SelectionTest {

    private static final String[] UIDS = {"a", "b", "c", "d", "e", "f"};
    private static final int[] COUNTS = {2, 0, 1, 2, 1, 3};
    private static final double[] METAGRAD = {-0.1, -5, 0.2, -0.3, 0.2, Double.NaN};

    @Test
    void keepsPositiveCountsRankedByCountThenMetagradientThenUid() {
        List<Row> rows = Selection.rank(UIDS, COUNTS, METAGRAD, Selection.Budget.none());
        assertEquals(List.of("f", "d", "a", "c", "e"), rows.stream().map(r -> r.getString(0)).toList());
        assertEquals(List.of(1, 2, 3, 4, 5), rows.stream().map(r -> r.getInt(3)).toList());
        assertNull(rows.get(0).get(2), "no metagradient is written as null");
        assertEquals(-0.3, rows.get(1).getDouble(2));
    }

    @Test
    void budgetsCutTheRanking() {
        assertEquals(List.of("f", "d"), Selection.rank(UIDS, COUNTS, METAGRAD, new Selection.Budget(2, 0)).stream()
                .map(r -> r.getString(0)).toList());
        assertEquals(3, Selection.rank(UIDS, COUNTS, METAGRAD, new Selection.Budget(0, 0.5)).size());
        assertEquals(6, Selection.rank(UIDS, COUNTS, METAGRAD, new Selection.Budget(100, 0)).size());
        List<Row> filled = Selection.rank(UIDS, COUNTS, METAGRAD, new Selection.Budget(6, 0));
        assertEquals("b", filled.get(5).getString(0), "a dropped item fills the budget");
        assertEquals(1, filled.get(5).getInt(1), "with count 1");
        assertThrows(IllegalArgumentException.class, () -> new Selection.Budget(2, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new Selection.Budget(0, 1.5));
    }
}
