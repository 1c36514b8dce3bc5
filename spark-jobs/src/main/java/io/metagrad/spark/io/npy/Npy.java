package io.metagrad.spark.io.npy;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads NumPy's {@code .npy} format (versions 1.0–3.0) and {@code .npz} archives (a zip of
 * {@code .npy} files, stored or deflated) — enough for embedding files such as DataComp's.
 *
 * <p>Supported element types: little-endian floats {@code <f2}, {@code <f4}, {@code <f8}
 * (byte-order mark {@code <}, {@code =} or none); any shape; C or Fortran order.
 * Anything else is refused with a message naming the type.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** Reads every array of an {@code .npz} archive, keyed by name without {@code .npy}. */
    public static Map<String, NpyArray> readNpz(InputStream in) throws IOException {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        ZipInputStream zip = new ZipInputStream(in);
        for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
            if (e.isDirectory()) {
                continue;
            }
            String name = e.getName().endsWith(".npy") ? e.getName().substring(0, e.getName().length() - 4) : e.getName();
            try {
                arrays.put(name, read(zip));
            } catch (IOException | IllegalArgumentException ex) {
                throw new IOException("array '" + name + "': " + ex.getMessage(), ex);
            }
        }
        return arrays;
    }

    /** Reads one {@code .npy} array from the stream (which is left after the array's data). */
    public static NpyArray read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] magic = new byte[MAGIC.length];
        readFully(data, magic, "magic");
        for (int i = 0; i < MAGIC.length; i++) {
            if (magic[i] != MAGIC[i]) {
                throw new IOException("not a .npy array (bad magic)");
            }
        }
        int major = data.readUnsignedByte();
        data.readUnsignedByte(); // minor version: no difference for reading
        long headerLength;
        if (major == 1) {
            headerLength = Short.toUnsignedInt(Short.reverseBytes(data.readShort()));
        } else if (major == 2 || major == 3) {
            headerLength = Integer.toUnsignedLong(Integer.reverseBytes(data.readInt()));
        } else {
            throw new IOException("unsupported .npy version " + major);
        }
        byte[] headerBytes = new byte[(int) headerLength];
        readFully(data, headerBytes, "header");
        String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, "descr");
        boolean fortran = group(FORTRAN, header, "fortran_order").equals("True");
        int[] shape = shape(group(SHAPE, header, "shape"));

        long count = 1;
        for (int d : shape) {
            count *= d;
        }
        int width = width(descr);
        if (count * width > Integer.MAX_VALUE - 16) {
            throw new IOException("array of " + count + " values is too large");
        }
        byte[] raw = new byte[(int) (count * width)];
        readFully(data, raw, "data");
        float[] values = decode(raw, descr, (int) count);
        return new NpyArray(shape, fortran ? toRowMajor(values, shape) : values);
    }

    /** Reads one {@code .npy} array from bytes. */
    public static NpyArray read(byte[] bytes) throws IOException {
        return read(new ByteArrayInputStream(bytes));
    }

    private static int width(String descr) throws IOException {
        return switch (normalized(descr)) {
            case "f2" -> 2;
            case "f4" -> 4;
            case "f8" -> 8;
            default -> throw new IOException("unsupported element type '" + descr + "' (supported: <f2, <f4, <f8)");
        };
    }

    private static String normalized(String descr) throws IOException {
        if (descr.startsWith(">")) {
            throw new IOException("big-endian element type '" + descr + "' is not supported");
        }
        return descr.startsWith("<") || descr.startsWith("=") || descr.startsWith("|") ? descr.substring(1) : descr;
    }

    private static float[] decode(byte[] raw, String descr, int count) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[count];
        switch (normalized(descr)) {
            case "f2" -> {
                for (int i = 0; i < count; i++) {
                    out[i] = halfToFloat(b.getShort());
                }
            }
            case "f4" -> b.asFloatBuffer().get(out);
            default -> {
                for (int i = 0; i < count; i++) {
                    out[i] = (float) b.getDouble();
                }
            }
        }
        return out;
    }

    /** IEEE 754 binary16 → binary32, exact (subnormals, infinities and NaN included). */
    static float halfToFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f; // subnormal (or zero)
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    private static float[] toRowMajor(float[] columnMajor, int[] shape) {
        int n = shape.length;
        float[] out = new float[columnMajor.length];
        int[] index = new int[n];
        for (int f = 0; f < columnMajor.length; f++) {
            // f enumerates the Fortran order: the first index varies fastest
            int c = 0;
            for (int d = 0; d < n; d++) {
                c = c * shape[d] + index[d];
            }
            out[c] = columnMajor[f];
            for (int d = 0; d < n; d++) {
                if (++index[d] < shape[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        return out;
    }

    private static int[] shape(String tuple) throws IOException {
        String[] parts = tuple.split(",");
        int dims = 0;
        int[] shape = new int[parts.length];
        for (String p : parts) {
            String t = p.trim();
            if (!t.isEmpty()) {
                try {
                    shape[dims++] = Integer.parseInt(t.endsWith("L") ? t.substring(0, t.length() - 1) : t);
                } catch (NumberFormatException e) {
                    throw new IOException("bad shape (" + tuple + ")");
                }
            }
        }
        return java.util.Arrays.copyOf(shape, dims);
    }

    private static String group(Pattern p, String header, String key) throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IOException("header has no '" + key + "': " + header.trim());
        }
        return m.group(1);
    }

    private static void readFully(DataInputStream in, byte[] into, String what) throws IOException {
        try {
            in.readFully(into);
        } catch (EOFException e) {
            throw new IOException("truncated .npy " + what);
        }
    }
}
