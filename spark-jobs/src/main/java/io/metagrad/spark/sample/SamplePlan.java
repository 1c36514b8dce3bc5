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
 * Which Fashion-MNIST images go where, with which label: a pure function of the label arrays and
 * the {@link SampleParams} (every choice comes from one {@link Random} seeded with the seed).
 *
 * <p>Recipe: per class, the training images are shuffled; the first {@code targetPerClass} of
 * each task class form the target split, the next ones feed the pool. The pool draws its
 * in-class items round-robin over the task classes, then {@code flipped} of them (chosen at
 * random) get a label drawn uniformly from the other task classes; off-class items come from
 * classes 8 and 9 alternately with a uniformly random task label; duplicates copy a random
 * earlier pool item (pixels and label) under a new uid. The pool is then shuffled. The test
 * split takes {@code testPerClass} random test images of each task class.
 */
final class SamplePlan {

    /** One output row: which image, its label in the table, its true class, and why it is there. */
    record Item(String uid, String split, boolean fromTest, int image, int label, int trueClass, String source) {}

    private SamplePlan() {}

    static List<Item> make(int[] trainLabels, int[] testLabels, SampleParams p) {
        Random random = new Random(p.seed());
        List<List<Integer>> train = byClass(trainLabels, random);
        List<List<Integer>> test = byClass(testLabels, random);
        List<Item> items = new ArrayList<>();

        int[] next = new int[10];
        for (int c = 0; c < SampleParams.TASK_CLASSES; c++) {
            for (int k = 0; k < p.targetPerClass(); k++) {
                int image = take(train, next, c, "training");
                items.add(new Item(uid(p, "target", image, 0), "target", false, image, c, c, "target"));
            }
        }
        for (int c = 0; c < SampleParams.TASK_CLASSES; c++) {
            List<Integer> images = test.get(c);
            if (images.size() < p.testPerClass()) {
                throw new IllegalArgumentException("Fashion-MNIST test class " + c + " has only " + images.size() + " images");
            }
            for (int k = 0; k < p.testPerClass(); k++) {
                int image = images.get(k);
                items.add(new Item(uid(p, "test", image, 0), "test", true, image, c, c, "test"));
            }
        }

        List<Item> pool = new ArrayList<>();
        for (int k = 0; k < p.inClass(); k++) {
            int c = k % SampleParams.TASK_CLASSES;
            int image = take(train, next, c, "training");
            pool.add(new Item(uid(p, "pool", image, 0), "pool", false, image, c, c, "clean"));
        }
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < pool.size(); k++) {
            order.add(k);
        }
        Collections.shuffle(order, random);
        for (int k = 0; k < p.flipped(); k++) {
            Item clean = pool.get(order.get(k));
            int wrong = random.nextInt(SampleParams.TASK_CLASSES - 1);
            wrong = wrong >= clean.trueClass() ? wrong + 1 : wrong; // any task class but the true one
            pool.set(order.get(k), new Item(clean.uid(), "pool", false, clean.image(), wrong, clean.trueClass(), "flipped"));
        }
        for (int k = 0; k < p.offClass(); k++) {
            int c = SampleParams.TASK_CLASSES + k % (10 - SampleParams.TASK_CLASSES);
            int image = take(train, next, c, "training");
            pool.add(new Item(uid(p, "pool", image, 0), "pool", false, image, random.nextInt(SampleParams.TASK_CLASSES), c,
                    "off-class"));
        }
        int originals = pool.size();
        int[] copies = new int[originals];
        for (int k = 0; k < p.duplicates(); k++) {
            int at = random.nextInt(originals);
            Item of = pool.get(at);
            int copy = ++copies[at];
            pool.add(new Item(uid(p, "pool", of.image(), copy), "pool", false, of.image(), of.label(), of.trueClass(), "duplicate"));
        }
        Collections.shuffle(pool, random);
        items.addAll(pool);
        return items;
    }

    static List<List<Integer>> byClass(int[] labels, Random random) {
        List<List<Integer>> out = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            out.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] > 9) {
                throw new IllegalArgumentException("Fashion-MNIST label " + labels[i] + " at index " + i + " is not a class 0-9");
            }
            out.get(labels[i]).add(i);
        }
        for (List<Integer> c : out) {
            Collections.shuffle(c, random);
        }
        return out;
    }

    static int take(List<List<Integer>> byClass, int[] next, int c, String set) {
        List<Integer> images = byClass.get(c);
        if (next[c] >= images.size()) {
            throw new IllegalArgumentException("Fashion-MNIST " + set + " class " + c + " has only " + images.size() + " images");
        }
        return images.get(next[c]++);
    }

    /** A 32-hex uid (like DataComp's): MD5 of where the item came from. */
    static String uid(SampleParams p, String split, int image, int copy) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(("fashion-mnist/seed-" + p.seed() + "/" + split + "/"
                    + image + "/copy-" + copy).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
