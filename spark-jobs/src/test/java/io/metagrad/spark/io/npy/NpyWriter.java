package io.metagrad.spark.io.npy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Test helper: writes .npy bytes the way numpy.save does (version 1.0, header padded to 64). */
public final class NpyWriter {

    private NpyWriter() {}

    /** {@code values} are stored in the order given; {@code descr} is '<f2', '<f4' or '<f8'. */
    public static byte[] npy(String descr, int[] shape, boolean fortran, double[] values) {
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(d).append(", ");
        }
        String shapeText = shape.length == 1 ? "(" + shape[0] + ",)" : "(" + dims.substring(0, Math.max(0, dims.length() - 2)) + ")";
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shapeText + ", }";
        int unpadded = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        int width = descr.endsWith("2") ? 2 : descr.endsWith("4") ? 4 : 8;
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + values.length * width).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (double v : values) {
            switch (width) {
                case 2 -> b.putShort(floatToHalf((float) v));
                case 4 -> b.putFloat((float) v);
                default -> b.putDouble(v);
            }
        }
        return b.array();
    }

    /** A .npz archive (deflated, like numpy.savez_compressed) of the given .npy arrays. */
    public static byte[] npz(Map<String, byte[]> arrays) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : arrays.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    static void write(OutputStream out, byte[] bytes) throws IOException {
        out.write(bytes);
    }

    /** float → binary16 for values exactly representable in half precision (test values only). */
    static short floatToHalf(float f) {
        int bits = Float.floatToIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        if (Float.isNaN(f)) {
            return (short) (sign | 0x7e00);
        }
        if (Float.isInfinite(f)) {
            return (short) (sign | 0x7c00);
        }
        float a = Math.abs(f);
        if (a == 0) {
            return (short) sign;
        }
        if (a < 0x1p-14f) {
            return (short) (sign | Math.round(a / 0x1p-24f));
        }
        int exponent = Math.getExponent(a);
        int mantissa = Math.round((a / (float) Math.pow(2, exponent) - 1) * 1024);
        return (short) (sign | ((exponent + 15) << 10) | mantissa);
    }
}
