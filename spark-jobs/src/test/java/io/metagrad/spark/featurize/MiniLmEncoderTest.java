package io.metagrad.spark.featurize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The MiniLM encoder from the Maven jar, offline. */
class MiniLmEncoderTest {

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void similarSentencesAreCloserThanUnrelatedOnes() {
        float[][] e = MiniLmEncoder.shared().encode(List.of(
                "A man is eating food.",
                "A man is eating a piece of bread.",
                "The new movie is awesome.",
                "The new film is so great.",
                "A monkey is playing drums."));
        assertEquals(5, e.length);
        for (float[] v : e) {
            assertEquals(MiniLmEncoder.DIM, v.length);
            double norm = 0;
            for (float x : v) {
                norm += x * x;
            }
            assertEquals(1.0, norm, 1e-5);
        }
        double food = cosine(e[0], e[1]);
        double film = cosine(e[2], e[3]);
        assertTrue(food > 0.6 && film > 0.6, food + " " + film);
        for (int unrelated : new int[] {2, 3, 4}) {
            assertTrue(food > cosine(e[0], e[unrelated]) + 0.3, "food vs " + unrelated);
        }
        assertTrue(film > cosine(e[2], e[4]) + 0.3);
    }

    @Test
    void anEmbeddingDependsOnItsTextAloneUnlessRunsAreBatched() {
        List<String> texts = List.of("short", "a much longer sentence that would make the short one padded");
        float[] alone = MiniLmEncoder.shared().encode(List.of("short"))[0];
        assertArrayEquals(alone, MiniLmEncoder.shared().encode(texts)[0], 0f);
        assertArrayEquals(alone, MiniLmEncoder.shared().encode(texts, 1)[0], 0f);
        // batched runs share the quantization scales of the dynamically quantized model: close, not equal
        double batched = cosine(alone, MiniLmEncoder.shared().encode(texts, 2)[0]);
        assertTrue(batched > 0.95 && batched < 1, String.valueOf(batched));
        assertSame(MiniLmEncoder.shared(), MiniLmEncoder.shared());
    }

    @Test
    void longTextsAreTruncatedNotRejected() {
        String longText = "word ".repeat(5000);
        assertEquals(MiniLmEncoder.DIM, MiniLmEncoder.shared().encode(List.of(longText, ""))[0].length);
    }
}
