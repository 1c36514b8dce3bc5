package io.metagrad.spark.curate;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collection;
import java.util.regex.Pattern;

/**
 * A DataComp filtering-track subset file (method.md §6): a NumPy {@code .npy} (format version 1.0)
 * holding a structured array of dtype {@code u8,u8}, one row per selected uid — the two 64-bit
 * halves of the 128-bit uid, high half first — sorted in ascending (unsigned) order.
 *
 * <p>A DataComp uid is 32 hex digits and is split as {@code int(uid[:16], 16), int(uid[16:], 16)}.
 * Any other uid is mapped to the first 16 bytes of the SHA-256 of its UTF-8 bytes (big-endian), so
 * every pool can be written; such rows are counted by {@link Rows#hashed()}.
 */
public final class DataCompSubset {

    private static final Pattern HEX_UID = Pattern.compile("[0-9a-fA-F]{32}");
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};

    private DataCompSubset() {}

    /**
     * The sorted rows of a subset.
     *
     * @param high first field of each row
     * @param low second field of each row
     * @param hashed how many uids were not 32-hex and were mapped through SHA-256
     */
    public record Rows(long[] high, long[] low, int hashed) {
        public int size() {
            return high.length;
        }
    }

    /** The two halves of {@code uid} as unsigned 64-bit values (high, low). */
    public static long[] halves(String uid) {
        if (isHexUid(uid)) {
            return new long[] {Long.parseUnsignedLong(uid.substring(0, 16), 16), Long.parseUnsignedLong(uid.substring(16), 16)};
        }
        ByteBuffer digest = ByteBuffer.wrap(sha256(uid));
        return new long[] {digest.getLong(), digest.getLong()};
    }

    /** Whether {@code uid} is a DataComp uid (32 hex digits), used as is. */
    public static boolean isHexUid(String uid) {
        return HEX_UID.matcher(uid).matches();
    }

    /** Converts and sorts the uids (unsigned, by high then low half). */
    public static Rows rows(Collection<String> uids) {
        long[][] pairs = new long[uids.size()][];
        int i = 0;
        int hashed = 0;
        for (String uid : uids) {
            pairs[i++] = halves(uid);
            hashed += isHexUid(uid) ? 0 : 1;
        }
        Arrays.sort(pairs, (a, b) -> a[0] != b[0] ? Long.compareUnsigned(a[0], b[0]) : Long.compareUnsigned(a[1], b[1]));
        long[] high = new long[pairs.length];
        long[] low = new long[pairs.length];
        for (int r = 0; r < pairs.length; r++) {
            high[r] = pairs[r][0];
            low[r] = pairs[r][1];
        }
        return new Rows(high, low, hashed);
    }

    /**
     * The {@code .npy} header: magic, version 1.0, little-endian header length, then the header dict
     * padded with spaces and ended by a newline so that the data starts at a multiple of 64 bytes.
     */
    static byte[] header(int rows) {
        String dict = "{'descr': [('f0', '<u8'), ('f1', '<u8')], 'fortran_order': False, 'shape': (" + rows + ",), }";
        int unpadded = MAGIC.length + 2 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String text = dict + " ".repeat(padding) + "\n";
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 2 + text.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putShort((short) text.length()).put(text.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    /** Writes {@code rows} as an {@code .npy} file to {@code out} (not closed). */
    public static void write(Rows rows, OutputStream out) throws IOException {
        out.write(header(rows.size()));
        ByteBuffer chunk = ByteBuffer.allocate(16 * 4096).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < rows.size(); r++) {
            if (chunk.remaining() < 16) {
                out.write(chunk.array(), 0, chunk.position());
                chunk.clear();
            }
            chunk.putLong(rows.high()[r]).putLong(rows.low()[r]);
        }
        out.write(chunk.array(), 0, chunk.position());
    }

    private static byte[] sha256(String uid) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(uid.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
