package io.metagrad.spark.curate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataCompSubsetTest {

    /** {@code np.save(f, np.array([(0x0123456789abcdef, 0xfedcba9876543210), (1, 2)], dtype="u8,u8"))} with NumPy 2.4. */
    private static final String NUMPY_TWO_ROWS = "934e554d5059010076007b276465736372273a205b28276630272c20273c753827292c2028276631"
            + "272c20273c753827295d2c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028322c292c207d"
            + "20202020202020202020202020202020202020202020202020202020202020202020200a"
            + "efcdab89674523011032547698badcfe01000000000000000200000000000000";

    @Test
    void writesTheBytesNumpyWrites() throws Exception {
        DataCompSubset.Rows rows = new DataCompSubset.Rows(
                new long[] {0x0123456789abcdefL, 1}, new long[] {0xfedcba9876543210L, 2}, 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataCompSubset.write(rows, out);
        assertEquals(NUMPY_TWO_ROWS, HexFormat.of().formatHex(out.toByteArray()));
    }

    @Test
    void headerIsPaddedToSixtyFourBytesForAnyRowCount() {
        for (int n : new int[] {0, 1, 9, 10, 99_999, 12_800_000, Integer.MAX_VALUE}) {
            byte[] h = DataCompSubset.header(n);
            assertEquals(0, h.length % 64, "n=" + n);
            assertEquals('\n', h[h.length - 1]);
            int declared = (h[8] & 0xff) | (h[9] & 0xff) << 8;
            assertEquals(h.length - 10, declared);
            String dict = new String(h, 10, h.length - 10, StandardCharsets.US_ASCII);
            assertTrue(dict.startsWith("{'descr': [('f0', '<u8'), ('f1', '<u8')], 'fortran_order': False, 'shape': (" + n + ",), }"),
                    dict);
        }
    }

    @Test
    void splitsHexUidsAndSortsUnsigned() {
        String small = "00000000000000010000000000000002";
        String large = "ffffffffffffffff0000000000000000";
        String middle = "7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF";
        DataCompSubset.Rows rows = DataCompSubset.rows(List.of(large, small, middle));
        assertArrayEquals(new long[] {1, 0x7fffffffffffffffL, -1L}, rows.high());
        assertArrayEquals(new long[] {2, -1L, 0}, rows.low());
        assertEquals(0, rows.hashed());
    }

    @Test
    void mapsOtherUidsThroughSha256() throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-256").digest("doc-42".getBytes(StandardCharsets.UTF_8));
        long high = java.nio.ByteBuffer.wrap(d).getLong(0);
        long low = java.nio.ByteBuffer.wrap(d).getLong(8);
        assertArrayEquals(new long[] {high, low}, DataCompSubset.halves("doc-42"));
        assertEquals(1, DataCompSubset.rows(List.of("doc-42", "00000000000000010000000000000002")).hashed());
    }
}
