package io.metagrad.spark.sample;

import java.util.List;
import java.util.Random;

/** The captions of the CLIP-style sample: a few templates per class, unrelated sentences, and the zero-shot prompts. */
final class Captions {

    /** Fashion-MNIST classes 0–9 as they read in a sentence. */
    static final String[] NAMES = {"t-shirt", "pair of trousers", "pullover", "dress", "coat", "sandal", "shirt",
        "sneaker", "bag", "ankle boot"};

    /** Clean caption templates; {@code %s} is the class name. The zero-shot prompt is the first one. */
    static final List<String> TEMPLATES = List.of("a photo of a %s", "%s, product photo", "a %s on a plain background",
            "black and white picture of a %s", "a small grayscale image of a %s", "catalog photo: %s");

    /** Off-topic captions: sentences about nothing in the images. */
    static final List<String> OFF_TOPIC = List.of("the stock market closed higher on friday",
            "a bowl of ramen with a soft boiled egg", "sunset over the mountains in autumn", "my cat sleeping on the sofa",
            "how to change a flat bicycle tire", "a red sports car parked on the street", "fresh vegetables at the farmers market",
            "the train to berlin is delayed by twenty minutes", "a group of friends playing football in the park",
            "chocolate cake recipe with three ingredients", "an old lighthouse on a rocky coast", "click here to win a free phone");

    private Captions() {}

    /** The zero-shot prompt of class {@code c}, e.g. "a photo of a sneaker". */
    static String prompt(int c) {
        return TEMPLATES.get(0).formatted(NAMES[c]);
    }

    /** A caption of class {@code c} with a random template. */
    static String of(int c, Random random) {
        return TEMPLATES.get(random.nextInt(TEMPLATES.size())).formatted(NAMES[c]);
    }

    static String offTopic(Random random) {
        return OFF_TOPIC.get(random.nextInt(OFF_TOPIC.size()));
    }
}
