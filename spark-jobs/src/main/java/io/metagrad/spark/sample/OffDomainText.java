package io.metagrad.spark.sample;

import java.util.Random;

/**
 * Seeded synthetic sentences far from Reuters business news (cooking, sport, weather, hobbies):
 * the off-domain noise of the text pool. Each item joins three template sentences.
 */
final class OffDomainText {

    private static final String[] SUBJECTS = {"My grandmother", "The home team", "Our hiking club", "The new barista",
        "A local painter", "The school choir", "My neighbour's cat", "The chess champion", "A young violinist",
        "The park ranger", "Our book club", "The yoga teacher"};
    private static final String[] VERBS = {"baked", "painted", "won", "practised", "photographed", "knitted",
        "rehearsed", "climbed", "sketched", "celebrated", "watered", "repaired"};
    private static final String[] OBJECTS = {"a lemon tart with fresh berries", "the final match in extra time",
        "a watercolour of the harbour at dawn", "a sonata for the spring recital", "the old oak tree by the lake",
        "a woollen scarf for the winter", "the steep trail to the waterfall", "a birthday cake shaped like a dragon",
        "the garden fence after the storm", "a portrait of the family dog", "the tomato seedlings on the balcony",
        "a quiet melody on the piano"};
    private static final String[] ENDINGS = {"on a rainy Sunday afternoon.", "while the children played outside.",
        "and everyone applauded.", "before the sun went down.", "with a cup of herbal tea.",
        "although the weather was cold.", "just in time for the festival.", "and then took a long nap."};

    private OffDomainText() {}

    /** One off-domain text of three sentences drawn with {@code random}. */
    static String next(Random random) {
        StringBuilder b = new StringBuilder();
        for (int s = 0; s < 3; s++) {
            if (s > 0) {
                b.append(' ');
            }
            b.append(pick(SUBJECTS, random)).append(' ').append(pick(VERBS, random)).append(' ')
                    .append(pick(OBJECTS, random)).append(' ').append(pick(ENDINGS, random));
        }
        return b.toString();
    }

    private static String pick(String[] options, Random random) {
        return options[random.nextInt(options.length)];
    }
}
