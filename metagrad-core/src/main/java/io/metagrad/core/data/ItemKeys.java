package io.metagrad.core.data;

import java.nio.charset.StandardCharsets;

/**
 * The 64-bit identity of an example that fixes its place in the data order ({@link BatchOrder}).
 * Derived from the example's uid alone, so an example keeps its relative place whatever else the
 * pool holds — a subset trains in the order its items have in the whole pool — and a Spark job can
 * compute it row by row without any array of pool size.
 */
public final class ItemKeys {

    private ItemKeys() {}

    /** The key of a uid: FNV-1a over its UTF-8 bytes, finished by a mixer so nearby uids spread. */
    public static long ofUid(String uid) {
        long h = 0xcbf29ce484222325L;
        for (byte b : uid.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return mix(h);
    }

    /** The keys of uids, in order. */
    public static long[] ofUids(String[] uids) {
        long[] keys = new long[uids.length];
        for (int i = 0; i < uids.length; i++) {
            keys[i] = ofUid(uids[i]);
        }
        return keys;
    }

    /**
     * The key of copy {@code copy} of an example keyed {@code key}, for training sets in which an
     * example appears several times (a selection's counts as multiplicities): copy 0 keeps the
     * example's own key, so a selection of items once each trains in their order in the pool; later
     * copies get keys of their own and so their own places in every epoch.
     */
    public static long ofCopy(long key, int copy) {
        return copy == 0 ? key : mix(key + 0x9E3779B97F4A7C15L * copy);
    }

    /** SplitMix64's finalizer: a bijection of 64-bit values whose output bits all depend on every input bit. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
