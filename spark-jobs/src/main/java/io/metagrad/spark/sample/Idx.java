package io.metagrad.spark.sample;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Reads the IDX files of MNIST and Fashion-MNIST (optionally gzipped): unsigned-byte images and labels. */
final class Idx {

    /** Images: {@code count} × {@code rows} × {@code cols} unsigned bytes, row-major. */
    record Images(int count, int rows, int cols, byte[] data) {
        /** Image i as intensities in [0, 1]. */
        float[] pixels(int i) {
            int n = rows * cols;
            float[] out = new float[n];
            for (int j = 0; j < n; j++) {
                out[j] = (data[i * n + j] & 0xff) / 255f;
            }
            return out;
        }
    }

    private Idx() {}

    static Images images(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != 0x00000803) {
                throw new IOException(file + " is not an IDX image file (magic " + Integer.toHexString(magic) + ")");
            }
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            byte[] data = new byte[Math.multiplyExact(count, rows * cols)];
            in.readFully(data);
            return new Images(count, rows, cols, data);
        }
    }

    static int[] labels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != 0x00000801) {
                throw new IOException(file + " is not an IDX label file (magic " + Integer.toHexString(magic) + ")");
            }
            int[] labels = new int[in.readInt()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = in.readUnsignedByte();
            }
            return labels;
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file));
        return new DataInputStream(file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw);
    }
}
