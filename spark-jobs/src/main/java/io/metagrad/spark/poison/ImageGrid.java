package io.metagrad.spark.poison;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * A PNG of poisoned rows that are grayscale square images (pixels features): each column shows one
 * row's original image above its poisoned one, with its label before and after. Standardized pixels
 * are mapped back with the table's {@code (mean, std)}.
 */
final class ImageGrid {

    private static final int SCALE = 3;
    private static final int PAD = 8;
    private static final int CAPTION = 16;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private ImageGrid() {}

    /** The side of a square image of {@code width} pixels, or 0 when it is not one. */
    static int side(int width) {
        int s = (int) Math.round(Math.sqrt(width));
        return s * s == width && s >= 4 ? s : 0;
    }

    /**
     * @param original {@code [m × d]} standardized pixels; {@code poisoned} likewise
     * @param before each row's label before, {@code after} after
     * @param scale {@code {mean, std}} of the standardization
     * @param count how many rows to show (the first ones)
     */
    static byte[] draw(String title, double[] original, double[] poisoned, int[] before, int[] after, int width, double[] scale,
            int count) {
        int side = side(width);
        int shown = Math.min(count, before.length);
        int cell = side * SCALE + PAD;
        BufferedImage image = new BufferedImage(Math.max(400, PAD + shown * cell), 40 + 2 * (cell + CAPTION) + PAD,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(title, PAD, 20);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int r = 0; r < shown; r++) {
            int x = PAD + r * cell;
            paint(image, original, r, width, side, scale, x, 40 + CAPTION);
            paint(image, poisoned, r, width, side, scale, x, 40 + 2 * CAPTION + cell);
            g.setColor(Color.BLACK);
            g.drawString("label " + before[r], x, 40 + CAPTION - 3);
            g.drawString("→ " + after[r], x, 40 + 2 * CAPTION + cell - 3);
        }
        g.dispose();
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void paint(BufferedImage image, double[] pixels, int row, int width, int side, double[] scale, int x0, int y0) {
        for (int i = 0; i < width; i++) {
            double p = Math.min(1, Math.max(0, pixels[row * width + i] * scale[1] + scale[0]));
            int v = (int) Math.round(255 * (1 - p)); // dark ink on white, as Fashion-MNIST is usually shown
            int rgb = (v << 16) | (v << 8) | v;
            int px = x0 + (i % side) * SCALE;
            int py = y0 + (i / side) * SCALE;
            for (int dy = 0; dy < SCALE; dy++) {
                for (int dx = 0; dx < SCALE; dx++) {
                    image.setRGB(px + dx, py + dy, rgb);
                }
            }
        }
    }
}
