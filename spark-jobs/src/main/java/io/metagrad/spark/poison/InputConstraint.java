package io.metagrad.spark.poison;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where poisoned features may go: a box {@code [lo, hi]} on every coordinate (pixels), or an L2
 * ball of radius {@code r} around each row's original features (embeddings).
 */
public sealed interface InputConstraint extends Serializable permits InputConstraint.Box, InputConstraint.Ball {

    /** Projects one row {@code x} (original {@code x0}) onto the set, in place. */
    void project(double[] x, int offset, double[] x0, int originalOffset, int width);

    /** How far one step may move a coordinate at most, for the one-step baselines' default step. */
    double span();

    Map<String, Object> describe();

    /** Every coordinate clipped into {@code [lo, hi]}. */
    record Box(double lo, double hi) implements InputConstraint {
        public Box {
            if (!(Double.isFinite(lo) && Double.isFinite(hi) && lo < hi)) {
                throw new IllegalArgumentException("--box " + lo + "," + hi + " invalid; needs finite LO < HI");
            }
        }

        @Override
        public void project(double[] x, int offset, double[] x0, int originalOffset, int width) {
            for (int j = offset; j < offset + width; j++) {
                x[j] = Math.min(hi, Math.max(lo, x[j]));
            }
        }

        @Override
        public double span() {
            return hi - lo;
        }

        /** Whether {@code v} lies in the box, allowing for the float rounding of stored features. */
        boolean contains(double v) {
            double slack = 1e-5 * Math.max(1, Math.max(Math.abs(lo), Math.abs(hi)));
            return v >= lo - slack && v <= hi + slack;
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", "box");
            m.put("lo", lo);
            m.put("hi", hi);
            return m;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "box [%.6g, %.6g]", lo, hi);
        }
    }

    /** Each row within L2 distance {@code radius} of its original features. */
    record Ball(double radius) implements InputConstraint {
        public Ball {
            if (!(radius > 0 && Double.isFinite(radius))) {
                throw new IllegalArgumentException("--ball " + radius + " invalid; must be > 0");
            }
        }

        @Override
        public void project(double[] x, int offset, double[] x0, int originalOffset, int width) {
            double d2 = 0;
            for (int j = 0; j < width; j++) {
                double d = x[offset + j] - x0[originalOffset + j];
                d2 += d * d;
            }
            double d = Math.sqrt(d2);
            if (d > radius) {
                double f = radius / d;
                for (int j = 0; j < width; j++) {
                    x[offset + j] = x0[originalOffset + j] + f * (x[offset + j] - x0[originalOffset + j]);
                }
            }
        }

        @Override
        public double span() {
            return radius;
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", "ball");
            m.put("radius", radius);
            return m;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "L2 ball of radius %.6g around each original row", radius);
        }
    }
}
