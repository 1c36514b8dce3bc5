package io.metagrad.spark.select;

import io.metagrad.spark.train.FeatureRows;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Splits the target set into the part whose loss the metagradients follow and a held-out part that
 * picks the best MGD iterate. Deterministic and independent of row order: rows are ordered by
 * SHA-256 of their uid and the first {@code ⌈fraction·n⌉} are held out.
 */
final class TargetSplit {

    private TargetSplit() {}

    /** The two parts, each in uid order. */
    record Parts(FeatureRows target, FeatureRows heldout) {}

    static Parts split(FeatureRows all, double heldoutFraction) {
        int n = all.size();
        int held = (int) Math.ceil(heldoutFraction * n);
        if (held < 1 || held >= n) {
            throw new IllegalArgumentException("target table " + all.source() + " has " + n + " rows; holding out "
                    + heldoutFraction + " of them leaves " + (n - held) + " for metagradients and " + held
                    + " held out; both need at least 1 (pass more target rows, another --heldout-fraction or --heldout)");
        }
        byte[][] keys = new byte[n][];
        for (int i = 0; i < n; i++) {
            keys[i] = sha256(all.uid(i));
        }
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer, byte[]>comparing(i -> keys[i], Arrays::compareUnsigned)
                .thenComparing(all::uid));
        int[] heldRows = Arrays.stream(order, 0, held).mapToInt(Integer::intValue).sorted().toArray();
        int[] targetRows = Arrays.stream(order, held, n).mapToInt(Integer::intValue).sorted().toArray();
        return new Parts(all.subset(targetRows), all.subset(heldRows));
    }

    static byte[] sha256(String uid) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(uid.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
