package io.metagrad.spark.io.npy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes an {@code .npz} of 2-D float32 arrays as {@code numpy.savez_compressed} does: a zip of
 * {@code NAME.npy} entries, each in {@code .npy} format 1.0, {@code '<f4'}, C order, header padded to 64 bytes.
 * {@link Npy#readNpz} and NumPy read it back.
 */
public final class Float32Npz {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    /** The entry time {@code numpy.savez} writes (zipfile's default, 1980-01-01 00:00). */
    private static final LocalDateTime NUMPY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private Float32Npz() {}

    /** Writes {@code arrays} (name → rows, every row of one array the same length) to {@code out}, which stays open. */
    public static void write(Map<String, float[][]> arrays, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        for (Map.Entry<String, float[][]> e : arrays.entrySet()) {
            ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
            entry.setTimeLocal(NUMPY_TIME); // not the clock: the same arrays give the same bytes, as with NumPy
            zip.putNextEntry(entry);
            zip.write(npy(e.getKey(), e.getValue()));
            zip.closeEntry();
        }
        zip.finish();
    }

    private static byte[] npy(String name, float[][] rows) {
        int dim = rows.length == 0 ? 0 : rows[0].length;
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows.length + ", " + dim + "), }";
        int unpadded = MAGIC.length + 2 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 2 + header.length() + rows.length * dim * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putShort((short) header.length()).put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != dim) {
                throw new IllegalArgumentException("array '" + name + "' row " + r + " has " + rows[r].length + " values, row 0 has " + dim);
            }
            for (float v : rows[r]) {
                b.putFloat(v);
            }
        }
        return b.array();
    }
}
