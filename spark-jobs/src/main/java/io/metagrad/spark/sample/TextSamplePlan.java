package io.metagrad.spark.sample;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Decides every row of the text sample from the labelled documents: which train documents go to
 * the clean target, which to the pool (and whose label is flipped), the synthetic off-domain rows
 * with random labels, and the test split (all test documents, clean). A pure, seeded function.
 */
final class TextSamplePlan {

    /** One labelled document of an input file. */
    record Doc(String text, int label) {}

    /** One output row. {@code source} is clean, flipped or off-domain. */
    record Item(String split, String uid, String text, int label, String source) {}

    private TextSamplePlan() {}

    static List<Item> make(List<Doc> train, List<Doc> test, TextSampleParams p) {
        Random random = new Random(p.seed());
        List<Integer> grain = new ArrayList<>();
        List<Integer> other = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            (train.get(i).label() == 1 ? grain : other).add(i);
        }
        Collections.shuffle(grain, random);
        Collections.shuffle(other, random);
        int targetGrain = p.targetGrain();
        int targetOther = p.targetSize() - targetGrain;
        if (targetGrain > grain.size() || targetOther > other.size()) {
            throw new IllegalArgumentException("sample-text: the train file has " + grain.size() + " grain and "
                    + other.size() + " other documents; the target needs " + targetGrain + " and " + targetOther);
        }
        List<Item> items = new ArrayList<>();
        List<Integer> target = new ArrayList<>(grain.subList(0, targetGrain));
        target.addAll(other.subList(0, targetOther));
        Collections.sort(target);
        for (int i : target) {
            items.add(new Item("target", uid("train", i), train.get(i).text(), train.get(i).label(), "clean"));
        }

        List<Integer> rest = new ArrayList<>(grain.subList(targetGrain, grain.size()));
        rest.addAll(other.subList(targetOther, other.size()));
        Collections.sort(rest);
        Collections.shuffle(rest, random);
        if (p.inDomain() > rest.size()) {
            throw new IllegalArgumentException("sample-text --pool-size " + p.poolSize() + " needs " + p.inDomain()
                    + " Reuters documents but only " + rest.size() + " remain after the target");
        }
        List<Integer> pool = rest.subList(0, p.inDomain());
        for (int k = 0; k < pool.size(); k++) {
            int i = pool.get(k);
            boolean flip = k < p.flipped(); // pool is shuffled, so the first ones are a random subset
            int label = flip ? 1 - train.get(i).label() : train.get(i).label();
            items.add(new Item("pool", uid("train", i), train.get(i).text(), label, flip ? "flipped" : "clean"));
        }
        for (int k = 0; k < p.offDomain(); k++) {
            items.add(new Item("pool", String.format("offdomain-%05d", k), OffDomainText.next(random),
                    random.nextInt(2), "off-domain"));
        }
        for (int i = 0; i < test.size(); i++) {
            items.add(new Item("test", uid("test", i), test.get(i).text(), test.get(i).label(), "clean"));
        }
        return items;
    }

    private static String uid(String file, int index) {
        return String.format("reuters-%s-%05d", file, index);
    }
}
