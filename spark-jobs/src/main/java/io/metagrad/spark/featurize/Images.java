package io.metagrad.spark.featurize;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;

/** A pool row's image as pixel intensities in [0, 1], row-major height × width × channels. */
final class Images {

    private Images() {}

    /**
     * The row's {@code pixels}, or else its decoded {@code image}: one channel for grayscale
     * images, three (RGB, alpha dropped) otherwise.
     */
    static float[] pixels(Row row, String where) {
        int p = row.fieldIndex("pixels");
        if (!row.isNullAt(p)) {
            List<Object> values = row.getList(p);
            float[] out = new float[values.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = ((Number) values.get(i)).floatValue();
            }
            return out;
        }
        return decode(row.getAs("image"), where);
    }

    static float[] decode(byte[] bytes, String where) {
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new IllegalArgumentException(where + " field 'image': cannot decode the image: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new IllegalArgumentException(where + " field 'image': not an image format Java can decode");
        }
        int w = image.getWidth();
        int h = image.getHeight();
        Raster raster = image.getRaster();
        if (raster.getNumBands() == 1) {
            int bits = raster.getSampleModel().getSampleSize(0);
            double max = (1L << bits) - 1;
            float[] out = new float[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = (float) (raster.getSample(x, y, 0) / max);
                }
            }
            return out;
        }
        float[] out = new float[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                int at = (y * w + x) * 3;
                out[at] = ((rgb >> 16) & 0xff) / 255f;
                out[at + 1] = ((rgb >> 8) & 0xff) / 255f;
                out[at + 2] = (rgb & 0xff) / 255f;
            }
        }
        return out;
    }

    /** "FILE row N (uid U)" for messages; rows count from 1. */
    static String where(Row row) {
        return row.getAs("_file") + " row " + ((long) row.getAs("_row") + 1) + " (uid " + row.getAs("uid") + ")";
    }
}
