package io.metagrad.spark.io.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NpyTest {

    @Test
    void readsFloat32InCOrder() throws IOException {
        NpyArray a = Npy.read(NpyWriter.npy("<f4", new int[] {2, 3}, false, new double[] {1, 2, 3, 4, 5, 6}));
        assertArrayEquals(new int[] {2, 3}, a.shape());
        assertEquals(2, a.rows());
        assertEquals(3, a.rowLength());
        assertArrayEquals(new float[] {4, 5, 6}, a.row(1));
    }

    @Test
    void readsFloat64InFortranOrderAsRowMajor() throws IOException {
        // the 2x3 matrix [[1,2,3],[4,5,6]] stored column by column
        NpyArray a = Npy.read(NpyWriter.npy("<f8", new int[] {2, 3}, true, new double[] {1, 4, 2, 5, 3, 6}));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, a.data());
        NpyArray cube = Npy.read(NpyWriter.npy("<f8", new int[] {2, 2, 2}, true, new double[] {0, 4, 2, 6, 1, 5, 3, 7}));
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, cube.data());
    }

    @Test
    void readsFloat16Exactly() throws IOException {
        double[] values = {1, -2.5, 65504, 0x1p-24, 0x1p-14, 0.333251953125, Double.POSITIVE_INFINITY, -0.0};
        NpyArray a = Npy.read(NpyWriter.npy("<f2", new int[] {values.length}, false, values));
        float[] expected = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            expected[i] = (float) values[i];
        }
        assertArrayEquals(expected, a.data());
        assertTrue(Float.isNaN(Npy.halfToFloat((short) 0x7e00)));
    }

    @Test
    void readsNpzArchives() throws IOException {
        Map<String, byte[]> arrays = new LinkedHashMap<>();
        arrays.put("img", NpyWriter.npy("<f2", new int[] {3, 2}, false, new double[] {1, 2, 3, 4, 5, 6}));
        arrays.put("txt", NpyWriter.npy("<f4", new int[] {3, 1}, false, new double[] {7, 8, 9}));
        Map<String, NpyArray> read = Npy.readNpz(new ByteArrayInputStream(NpyWriter.npz(arrays)));
        assertEquals(List.of("img", "txt"), List.copyOf(read.keySet()));
        assertArrayEquals(new float[] {5, 6}, read.get("img").row(2));
        assertArrayEquals(new float[] {8}, read.get("txt").row(1));
    }

    @Test
    void refusesWhatItCannotRead() {
        byte[] ints = NpyWriter.npy("<f4", new int[] {2}, false, new double[] {1, 2});
        byte[] asInts = new String(ints, java.nio.charset.StandardCharsets.ISO_8859_1).replace("'<f4'", "'<i4'")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(assertThrows(IOException.class, () -> Npy.read(asInts)).getMessage().contains("unsupported element type '<i4'"));
        byte[] truncated = Arrays.copyOf(ints, ints.length - 3);
        assertTrue(assertThrows(IOException.class, () -> Npy.read(truncated)).getMessage().contains("truncated"));
        assertTrue(assertThrows(IOException.class, () -> Npy.read(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
                .getMessage().contains("bad magic"));
    }
}
