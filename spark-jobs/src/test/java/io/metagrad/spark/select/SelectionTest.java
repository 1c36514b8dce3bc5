package io.metagrad.spark.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.spark.SparkSessions;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The selection ranking and one MGD step, as Spark computes them over tables. */
class SelectionTest {

    private static final String[] UIDS = {"a", "b", "c", "d", "e", "f"};
    private static final int[] COUNTS = {2, 0, 1, 2, 1, 3};
    private static final Double[] METAGRAD = {-0.1, -5.0, 0.2, -0.3, 0.2, null};

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSessions.getOrCreate("selection-test");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static Dataset<Row> step(int[] counts, Double[] metagrad) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < UIDS.length; i++) {
            rows.add(RowFactory.create(UIDS[i], counts[i], 0, metagrad[i], i));
        }
        return spark.createDataFrame(rows, SelectTables.MGD_STEP);
    }

    private static List<Row> rank(Selection.Budget budget) {
        Dataset<Row> t = step(COUNTS, METAGRAD);
        return Selection.rank(spark, t, t, budget, UIDS.length).orderBy("rank").collectAsList();
    }

    @Test
    void keepsPositiveCountsRankedByCountThenMetagradientThenUid() {
        List<Row> rows = rank(Selection.Budget.none());
        assertEquals(List.of("f", "d", "a", "c", "e"), rows.stream().map(r -> r.getString(0)).toList());
        assertEquals(List.of(1, 2, 3, 4, 5), rows.stream().map(r -> r.getInt(3)).toList());
        assertNull(rows.get(0).get(2), "no metagradient is written as null");
        assertEquals(-0.3, rows.get(1).getDouble(2));
    }

    @Test
    void budgetsCutTheRanking() {
        assertEquals(List.of("f", "d"), rank(new Selection.Budget(2, 0)).stream().map(r -> r.getString(0)).toList());
        assertEquals(3, rank(new Selection.Budget(0, 0.5)).size());
        assertEquals(6, rank(new Selection.Budget(100, 0)).size());
        List<Row> filled = rank(new Selection.Budget(6, 0));
        assertEquals("b", filled.get(5).getString(0), "a dropped item fills the budget");
        assertEquals(1, filled.get(5).getInt(1), "with count 1");
        assertThrows(IllegalArgumentException.class, () -> new Selection.Budget(2, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new Selection.Budget(0, 1.5));
    }

    @Test
    void pruneDropsTheKeptItemsWithTheLargestMetagradientTiesToTheLowerRow() {
        Dataset<Row> joined = step(new int[] {1, 1, 0, 1, 1, 1}, new Double[] {0.3, -0.2, null, 0.5, 0.3, -1.0})
                .select("row", "uid", "count", "metagrad").withColumnRenamed("metagrad", "g");
        List<Row> next = StepUpdate.prune(joined, 2).orderBy("row").collectAsList();
        assertEquals(List.of(0, 1, 0, 0, 1, 1), next.stream().map(r -> r.getInt(1)).toList());
        assertEquals(List.of(-1, 0, 0, -1, 0, 0), next.stream().map(r -> r.getInt(2)).toList());
        StepUpdate.Counts c = StepUpdate.countFinite(StepUpdate.prune(joined, 2), 1);
        assertEquals(new StepUpdate.Counts(3, 3, 2, 5), c, "kept, Σcount, changed, candidates");
    }

    @Test
    void signedStepsMoveTheDrawnCountsAgainstTheSign() {
        Dataset<Row> joined = step(COUNTS, new Double[] {0.5, -0.2, 0.7, 0.0, -1e-12, 2.0})
                .select("row", "uid", "count", "metagrad").withColumnRenamed("metagrad", "g");
        List<Row> next = StepUpdate.signed(joined, 7, 1, 2, 1.0).orderBy("row").collectAsList();
        assertEquals(List.of(0, 2, 0, 2, 3, 1), next.stream().map(r -> r.getInt(1)).toList());
        assertEquals(List.of(-2, 2, -1, 0, 2, -2), next.stream().map(r -> r.getInt(2)).toList());
    }

    @Test
    void aNonFiniteMetagradientOfATrainedItemStopsTheStep() {
        Dataset<Row> joined = step(COUNTS, new Double[] {0.1, Double.NaN, 0.0, 0.0, 0.0, 0.0})
                .select("row", "uid", "count", "metagrad").withColumnRenamed("metagrad", "g");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> StepUpdate.countFinite(StepUpdate.signed(joined, 7, 4, 1, 0.5), 4));
        assertTrue(e.getMessage().contains("item b") && e.getMessage().contains("step 4") && e.getMessage().contains("--lr"),
                e.getMessage());
    }
}
