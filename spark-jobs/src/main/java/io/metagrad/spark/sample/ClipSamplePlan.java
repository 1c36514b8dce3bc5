package io.metagrad.spark.sample;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Which Fashion-MNIST images go where, with which caption: a pure function of the label arrays and
 * the {@link ClipSampleParams} (every choice comes from one {@link Random} seeded with the seed).
 *
 * <p>Recipe: per class, the training and test images are shuffled. The target split takes the
 * first {@code targetPerClass} training images of each class with a clean caption; the pool takes
 * the next ones round-robin over the ten classes, each with a clean caption; then, in a random
 * order of the pool, the first {@code wrong} items get the caption of a uniformly drawn other
 * class and the next {@code offTopic} items an unrelated sentence. The label stays the image's
 * true class. The test split takes {@code testPerClass} test images per class, clean captions.
 */
final class ClipSamplePlan {

    static final int CLASSES = 10;

    /** One output row: which image, its true class, its caption and why the caption is what it is. */
    record Item(String uid, String split, boolean fromTest, int image, int label, String source, String text) {}

    private ClipSamplePlan() {}

    static List<Item> make(int[] trainLabels, int[] testLabels, ClipSampleParams p) {
        Random random = new Random(p.seed());
        List<List<Integer>> train = SamplePlan.byClass(trainLabels, random);
        List<List<Integer>> test = SamplePlan.byClass(testLabels, random);
        int[] next = new int[CLASSES];
        List<Item> items = new ArrayList<>();
        for (int c = 0; c < CLASSES; c++) {
            for (int k = 0; k < p.targetPerClass(); k++) {
                int image = SamplePlan.take(train, next, c, "training");
                items.add(new Item(uid(p, "target", image), "target", false, image, c, "clean", Captions.of(c, random)));
            }
        }
        int[] nextTest = new int[CLASSES];
        for (int c = 0; c < CLASSES; c++) {
            for (int k = 0; k < p.testPerClass(); k++) {
                int image = SamplePlan.take(test, nextTest, c, "test");
                items.add(new Item(uid(p, "test", image), "test", true, image, c, "clean", Captions.of(c, random)));
            }
        }
        List<Item> pool = new ArrayList<>();
        for (int k = 0; k < p.poolSize(); k++) {
            int c = k % CLASSES;
            int image = SamplePlan.take(train, next, c, "training");
            pool.add(new Item(uid(p, "pool", image), "pool", false, image, c, "clean", Captions.of(c, random)));
        }
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < pool.size(); k++) {
            order.add(k);
        }
        Collections.shuffle(order, random);
        for (int k = 0; k < p.wrong() + p.offTopic(); k++) {
            Item clean = pool.get(order.get(k));
            String source;
            String text;
            if (k < p.wrong()) {
                int other = random.nextInt(CLASSES - 1);
                other = other >= clean.label() ? other + 1 : other; // any class but the image's own
                source = "wrong-caption";
                text = Captions.of(other, random);
            } else {
                source = "off-topic";
                text = Captions.offTopic(random);
            }
            pool.set(order.get(k), new Item(clean.uid(), "pool", false, clean.image(), clean.label(), source, text));
        }
        Collections.shuffle(pool, random);
        items.addAll(pool);
        return items;
    }

    /** A 32-hex uid: MD5 of where the item came from. */
    static String uid(ClipSampleParams p, String split, int image) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(("fashion-mnist-clip/seed-" + p.seed() + "/" + split + "/"
                    + image).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
