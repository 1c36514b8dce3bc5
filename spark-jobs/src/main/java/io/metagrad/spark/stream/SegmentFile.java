package io.metagrad.spark.stream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.hadoop.fs.FSDataInputStream;

/**
 * The bytes of one layout segment: consecutive positions of one epoch's order, column by column so
 * that a range of positions is a few positioned reads and the row ids alone can be scanned cheaply.
 * Little-endian:
 * <pre>
 *   int magic "MGS1", int count, int inputDim, int targetDim (0 = labels)
 *   int[count]            pool row of each position
 *   int[count]            class label of each position (only when targetDim = 0)
 *   float[count·inputDim] features, row-major
 *   float[count·targetDim] target vectors, row-major (only when targetDim &gt; 0)
 * </pre>
 */
final class SegmentFile {

    static final int MAGIC = 0x3153474d; // "MGS1" little-endian
    static final int HEADER = 16;

    private SegmentFile() {}

    /** Writes one segment from column arrays of {@code count} positions. */
    static void write(OutputStream out, int count, int inputDim, int targetDim, int[] rows, int[] labels, float[] features,
            float[] targets) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(MAGIC).putInt(count).putInt(inputDim).putInt(targetDim);
        out.write(header.array());
        writeInts(out, rows, count);
        if (targetDim == 0) {
            writeInts(out, labels, count);
        }
        writeFloats(out, features, count * inputDim);
        if (targetDim > 0) {
            writeFloats(out, targets, count * targetDim);
        }
    }

    private static void writeInts(OutputStream out, int[] values, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * Math.min(n, 1 << 16)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            if (!b.hasRemaining()) {
                out.write(b.array(), 0, b.position());
                b.clear();
            }
            b.putInt(values[i]);
        }
        out.write(b.array(), 0, b.position());
    }

    private static void writeFloats(OutputStream out, float[] values, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * Math.min(n, 1 << 16)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            if (!b.hasRemaining()) {
                out.write(b.array(), 0, b.position());
                b.clear();
            }
            b.putFloat(values[i]);
        }
        out.write(b.array(), 0, b.position());
    }

    /** Reading side: positioned reads of slices of one open segment. */
    static final class Reader {
        private final FSDataInputStream in;
        private final String path;
        private final int count;
        private final int inputDim;
        private final int targetDim;

        Reader(FSDataInputStream in, String path, int expectedCount, int inputDim, int targetDim) throws IOException {
            this.in = in;
            this.path = path;
            byte[] h = new byte[HEADER];
            in.readFully(0, h);
            ByteBuffer header = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
            int magic = header.getInt();
            this.count = header.getInt();
            int d = header.getInt();
            int c = header.getInt();
            if (magic != MAGIC || count != expectedCount || d != inputDim || c != targetDim) {
                throw new IOException("layout segment " + path + " is not the segment layout.json describes (magic "
                        + Integer.toHexString(magic) + ", " + count + " positions of width " + d + "/" + c + "; expected "
                        + expectedCount + " of " + inputDim + "/" + targetDim + ")");
            }
            this.inputDim = inputDim;
            this.targetDim = targetDim;
        }

        int count() {
            return count;
        }

        /** Pool rows of positions {@code [from, from+n)} of this segment. */
        int[] rows(int from, int n) throws IOException {
            return ints(HEADER + 4L * from, n);
        }

        /** Labels of positions {@code [from, from+n)} (labels layouts only). */
        int[] labels(int from, int n) throws IOException {
            return ints(HEADER + 4L * count + 4L * from, n);
        }

        /** Features of positions {@code [from, from+n)}, row-major. */
        float[] features(int from, int n) throws IOException {
            return floats(featuresStart() + 4L * from * inputDim, n * inputDim);
        }

        /** Target vectors of positions {@code [from, from+n)}, row-major (vector layouts only). */
        float[] targets(int from, int n) throws IOException {
            return floats(featuresStart() + 4L * count * inputDim + 4L * from * targetDim, n * targetDim);
        }

        private long featuresStart() {
            return HEADER + 4L * count * (targetDim == 0 ? 2 : 1);
        }

        private int[] ints(long offset, int n) throws IOException {
            byte[] bytes = new byte[4 * n];
            in.readFully(offset, bytes);
            int[] out = new int[n];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
            return out;
        }

        private float[] floats(long offset, int n) throws IOException {
            byte[] bytes = new byte[4 * n];
            in.readFully(offset, bytes);
            float[] out = new float[n];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        }

        String path() {
            return path;
        }

        void close() throws IOException {
            in.close();
        }
    }
}
