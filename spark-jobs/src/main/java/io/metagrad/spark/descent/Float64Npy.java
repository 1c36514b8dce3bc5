package io.metagrad.spark.descent;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A vector of doubles as NumPy {@code .npy} bytes ({@code <f8}, one dimension), exact to the bit, so
 * that a resumed run continues from exactly the iterate it stopped at, and users can
 * {@code numpy.load} it.
 */
final class Float64Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    private static final Pattern HEADER = Pattern.compile(
            "\\{'descr': '<f8', 'fortran_order': False, 'shape': \\((\\d+),\\), \\}\\s*");

    private Float64Npy() {}

    static byte[] write(double[] values) {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + values.length + ",), }";
        int unpadded = MAGIC.length + 2 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 2 + header.length() + 8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        for (double v : values) {
            b.putDouble(v);
        }
        return b.array();
    }

    /** Reads what {@link #write} wrote; {@code where} names the file in errors. */
    static double[] read(byte[] bytes, String where) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (byte m : MAGIC) {
            if (b.remaining() == 0 || b.get() != m) {
                throw new IllegalArgumentException(where + " is not a version-1 .npy file");
            }
        }
        int length = Short.toUnsignedInt(b.getShort());
        if (b.remaining() < length) {
            throw new IllegalArgumentException(where + " is truncated");
        }
        byte[] header = new byte[length];
        b.get(header);
        Matcher m = HEADER.matcher(new String(header, StandardCharsets.US_ASCII));
        if (!m.matches()) {
            throw new IllegalArgumentException(where + " is not a 1-d float64 .npy file");
        }
        int n = Integer.parseInt(m.group(1));
        if (b.remaining() != 8L * n) {
            throw new IllegalArgumentException(where + " holds " + b.remaining() + " data bytes; its header says " + 8L * n);
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = b.getDouble();
        }
        return v;
    }
}
