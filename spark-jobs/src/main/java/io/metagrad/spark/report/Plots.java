package io.metagrad.spark.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import javax.imageio.ImageIO;

/** Small PNG charts drawn with Java2D (headless): what users would rather look at than read. */
public final class Plots {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;
    private static final int LEFT = 90;
    private static final int RIGHT = 30;
    private static final int TOP = 60;
    private static final int BOTTOM = 150;
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {}

    /** One bar per entry {@code name → {value, low, high}}, with its interval as an error bar. */
    public static byte[] barsWithIntervals(String title, Map<String, double[]> bars) {
        double max = bars.values().stream().mapToDouble(v -> Math.max(v[0], v[2])).filter(Double::isFinite).max().orElse(1);
        double min = Math.min(0, bars.values().stream().mapToDouble(v -> Math.min(v[0], v[1])).filter(Double::isFinite).min().orElse(0));
        return draw(title, min, max, (g, y) -> {
            int n = bars.size();
            int slot = (WIDTH - LEFT - RIGHT) / Math.max(1, n);
            int i = 0;
            for (Map.Entry<String, double[]> e : bars.entrySet()) {
                double[] v = e.getValue();
                int x = LEFT + i * slot + slot / 4;
                int w = slot / 2;
                g.setColor(PALETTE[i % PALETTE.length]);
                int top = y.at(Math.max(v[0], 0));
                int base = y.at(Math.min(v[0], 0));
                g.fillRect(x, top, w, Math.max(1, base - top));
                g.setColor(Color.BLACK);
                if (Double.isFinite(v[1]) && Double.isFinite(v[2])) {
                    int cx = x + w / 2;
                    g.drawLine(cx, y.at(v[1]), cx, y.at(v[2]));
                    g.drawLine(cx - 8, y.at(v[1]), cx + 8, y.at(v[1]));
                    g.drawLine(cx - 8, y.at(v[2]), cx + 8, y.at(v[2]));
                }
                g.drawString(String.format("%.3f", v[0]), x, top - 6);
                label(g, e.getKey(), x + w / 2, HEIGHT - BOTTOM + 18);
                i++;
            }
        });
    }

    /** Points {@code (x_i, y_i)} with the diagonal's direction shown by a least-squares line. */
    public static byte[] scatter(String title, String xLabel, String yLabel, double[] xs, double[] ys) {
        double xMin = Arrays.stream(xs).min().orElse(0);
        double xMax = Arrays.stream(xs).max().orElse(1);
        double yMin = Arrays.stream(ys).min().orElse(0);
        double yMax = Arrays.stream(ys).max().orElse(1);
        double xSpan = xMax > xMin ? xMax - xMin : 1;
        return draw(title, yMin, yMax, (g, y) -> {
            g.setColor(PALETTE[0]);
            for (int i = 0; i < xs.length; i++) {
                int px = LEFT + (int) ((xs[i] - xMin) / xSpan * (WIDTH - LEFT - RIGHT));
                g.fillOval(px - 3, y.at(ys[i]) - 3, 7, 7);
            }
            g.setColor(Color.DARK_GRAY);
            g.drawString(xLabel + String.format("  [%.4g … %.4g]", xMin, xMax), LEFT, HEIGHT - BOTTOM + 40);
            g.drawString(yLabel, 10, TOP - 10);
        });
    }

    /** Groups of bars: for each group (x position) one bar per series, each with an interval. */
    public static byte[] groupedBars(String title, String[] groups, Map<String, double[][]> series) {
        double max = series.values().stream().flatMap(Arrays::stream).mapToDouble(v -> v[0] + v[1]).max().orElse(1);
        double min = Math.min(0, series.values().stream().flatMap(Arrays::stream).mapToDouble(v -> v[0] - v[1]).min().orElse(0));
        return draw(title, min, max, (g, y) -> {
            int slot = (WIDTH - LEFT - RIGHT) / Math.max(1, groups.length);
            int width = Math.max(2, (slot - 20) / Math.max(1, series.size()));
            for (int gi = 0; gi < groups.length; gi++) {
                int si = 0;
                for (double[][] values : series.values()) {
                    double[] v = values[gi];
                    int x = LEFT + gi * slot + 10 + si * width;
                    g.setColor(PALETTE[si % PALETTE.length]);
                    int top = y.at(Math.max(v[0], 0));
                    g.fillRect(x, top, width - 2, Math.max(1, y.at(Math.min(v[0], 0)) - top));
                    g.setColor(Color.BLACK);
                    int cx = x + width / 2;
                    g.drawLine(cx, y.at(v[0] - v[1]), cx, y.at(v[0] + v[1]));
                    si++;
                }
                label(g, groups[gi], LEFT + gi * slot + slot / 2, HEIGHT - BOTTOM + 18);
            }
            int li = 0;
            int spacing = (WIDTH - LEFT - RIGHT) / Math.max(1, series.size());
            for (String name : series.keySet()) {
                g.setColor(PALETTE[li % PALETTE.length]);
                g.fillRect(LEFT + li * spacing, HEIGHT - 40, 12, 12);
                g.setColor(Color.BLACK);
                g.drawString(name, LEFT + li * spacing + 16, HEIGHT - 29);
                li++;
            }
        });
    }

    /**
     * One line per series through its points {@code {xs, ys}}, with a legend; with {@code logY} the
     * y axis shows {@code log10(y)} (and says so in the title).
     */
    public static byte[] lines(String title, String xLabel, Map<String, double[][]> series, boolean logY) {
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (double[][] s : series.values()) {
            for (int i = 0; i < s[0].length; i++) {
                double y = logY ? Math.log10(s[1][i]) : s[1][i];
                if (Double.isFinite(y)) {
                    xMin = Math.min(xMin, s[0][i]);
                    xMax = Math.max(xMax, s[0][i]);
                    yMin = Math.min(yMin, y);
                    yMax = Math.max(yMax, y);
                }
            }
        }
        double x0 = Double.isFinite(xMin) ? xMin : 0;
        double xSpan = xMax > xMin ? xMax - xMin : 1;
        String shown = logY ? title + " (y: log10)" : title;
        return draw(shown, Double.isFinite(yMin) ? yMin : 0, Double.isFinite(yMax) ? yMax : 1, (g, y) -> {
            int si = 0;
            for (Map.Entry<String, double[][]> e : series.entrySet()) {
                double[][] s = e.getValue();
                g.setColor(PALETTE[si % PALETTE.length]);
                g.setStroke(new BasicStroke(2f));
                int px = -1;
                int py = -1;
                for (int i = 0; i < s[0].length; i++) {
                    double v = logY ? Math.log10(s[1][i]) : s[1][i];
                    if (!Double.isFinite(v)) {
                        px = -1;
                        continue;
                    }
                    int cx = LEFT + (int) ((s[0][i] - x0) / xSpan * (WIDTH - LEFT - RIGHT));
                    int cy = y.at(v);
                    if (px >= 0) {
                        g.drawLine(px, py, cx, cy);
                    }
                    if (s[0].length <= 60) {
                        g.fillOval(cx - 3, cy - 3, 6, 6);
                    }
                    px = cx;
                    py = cy;
                }
                int row = si / 3;
                int col = si % 3;
                g.fillRect(LEFT + col * 260, HEIGHT - 70 + row * 16, 12, 12);
                g.setColor(Color.BLACK);
                g.drawString(e.getKey(), LEFT + col * 260 + 16, HEIGHT - 59 + row * 16);
                si++;
            }
            g.setColor(Color.DARK_GRAY);
            g.drawString(xLabel + String.format("  [%.4g … %.4g]", x0, x0 + xSpan), LEFT, HEIGHT - BOTTOM + 40);
        });
    }

    /** Maps data values to pixel rows. */
    @FunctionalInterface
    private interface Scale {
        int at(double value);
    }

    @FunctionalInterface
    private interface Body {
        void paint(Graphics2D g, Scale y);
    }

    private static byte[] draw(String title, double min, double max, Body body) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        double span = max > min ? max - min : 1;
        double lo = min - 0.05 * span;
        double hi = max + 0.08 * span;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        Scale y = v -> TOP + (int) Math.round((hi - v) / (hi - lo) * plotHeight);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(new Color(0xdddddd));
        for (int i = 0; i <= 5; i++) {
            double v = lo + (hi - lo) * i / 5;
            g.drawLine(LEFT, y.at(v), WIDTH - RIGHT, y.at(v));
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format("%.3g", v), 10, y.at(v) + 4);
            g.setColor(new Color(0xdddddd));
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1.5f));
        g.drawLine(LEFT, TOP, LEFT, TOP + plotHeight);
        g.drawLine(LEFT, y.at(Math.max(lo, Math.min(0, hi))), WIDTH - RIGHT, y.at(Math.max(lo, Math.min(0, hi))));
        body.paint(g, y);
        g.dispose();
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void label(Graphics2D g, String text, int centerX, int y) {
        String[] words = text.split(" ");
        StringBuilder line = new StringBuilder();
        int row = 0;
        for (String w : words) {
            if (line.length() + w.length() > 18 && line.length() > 0) {
                g.drawString(line.toString(), centerX - g.getFontMetrics().stringWidth(line.toString()) / 2, y + row * 14);
                line.setLength(0);
                row++;
            }
            line.append(line.length() > 0 ? " " : "").append(w);
        }
        g.drawString(line.toString(), centerX - g.getFontMetrics().stringWidth(line.toString()) / 2, y + row * 14);
    }
}
