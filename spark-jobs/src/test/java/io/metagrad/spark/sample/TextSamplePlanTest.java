package io.metagrad.spark.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TextSamplePlanTest {

    private static List<TextSamplePlan.Doc> docs(String prefix, int n, int everyGrain) {
        List<TextSamplePlan.Doc> docs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            docs.add(new TextSamplePlan.Doc(prefix + " " + i, i % everyGrain == 0 ? 1 : 0));
        }
        return docs;
    }

    private final List<TextSamplePlan.Doc> train = docs("train", 400, 5);
    private final List<TextSamplePlan.Doc> test = docs("test", 50, 5);
    private final TextSampleParams params = new TextSampleParams("a", "b", "out", 3, 200, 40, 0.25, 0.3, 0.1, false);

    @Test
    void splitsHaveTheRecipesCountsAndOnlyThePoolIsNoisy() {
        List<TextSamplePlan.Item> plan = TextSamplePlan.make(train, test, params);
        Map<String, Long> bySplitSource = plan.stream()
                .collect(Collectors.groupingBy(i -> i.split() + "/" + i.source(), Collectors.counting()));
        assertEquals(Map.of("pool/clean", 126L, "pool/flipped", 54L, "pool/off-domain", 20L,
                "target/clean", 40L, "test/clean", 50L), bySplitSource);
        List<TextSamplePlan.Item> target = plan.stream().filter(i -> i.split().equals("target")).toList();
        assertEquals(10, target.stream().filter(i -> i.label() == 1).count());
        for (TextSamplePlan.Item item : plan) {
            if (item.uid().startsWith("reuters-train")) {
                int index = Integer.parseInt(item.uid().substring("reuters-train-".length()));
                int truth = train.get(index).label();
                assertEquals(item.source().equals("flipped") ? 1 - truth : truth, item.label(), item.uid());
                assertEquals(train.get(index).text(), item.text());
            }
        }
        Set<String> targetUids = target.stream().map(TextSamplePlan.Item::uid).collect(Collectors.toSet());
        Set<String> uids = new HashSet<>();
        for (TextSamplePlan.Item item : plan) {
            assertTrue(uids.add(item.uid()), "duplicate uid " + item.uid());
            if (item.split().equals("pool")) {
                assertTrue(!targetUids.contains(item.uid()), "target document leaked into the pool: " + item.uid());
            }
        }
    }

    @Test
    void isDeterministicInTheSeed() {
        assertEquals(TextSamplePlan.make(train, test, params), TextSamplePlan.make(train, test, params));
        TextSampleParams other = new TextSampleParams("a", "b", "out", 4, 200, 40, 0.25, 0.3, 0.1, false);
        assertTrue(!TextSamplePlan.make(train, test, params).equals(TextSamplePlan.make(train, test, other)));
    }

    @Test
    void tooLargeAPoolIsAClearError() {
        TextSampleParams big = new TextSampleParams("a", "b", "out", 3, 500, 40, 0.25, 0.3, 0.1, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TextSamplePlan.make(train, test, big));
        assertTrue(e.getMessage().contains("--pool-size 500"), e.getMessage());
    }
}
