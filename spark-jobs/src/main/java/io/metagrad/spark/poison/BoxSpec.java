package io.metagrad.spark.poison;

import io.metagrad.spark.train.FeatureRows;
import java.io.Serializable;
import java.util.Locale;

/**
 * How the box of the poisoned features is given: {@code data} (the smallest and largest feature value
 * of the training table), {@code pixels} (the image of the pixel range [0, 1] under the table's
 * pixel standardization, read from its {@code featurizer_params}) or explicit {@code LO,HI} in
 * feature units.
 */
public record BoxSpec(Kind kind, double lo, double hi) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Where the bounds come from. */
    public enum Kind { DATA, PIXELS, EXPLICIT }

    /** The training data's range. */
    public static final BoxSpec DATA = new BoxSpec(Kind.DATA, Double.NaN, Double.NaN);

    public BoxSpec {
        if (kind == Kind.EXPLICIT && !(Double.isFinite(lo) && Double.isFinite(hi) && lo < hi)) {
            throw new IllegalArgumentException("poison --box " + lo + "," + hi + " invalid; needs finite LO < HI");
        }
    }

    /** Parses {@code data}, {@code pixels} or {@code LO,HI}. */
    public static BoxSpec parse(String text) {
        String t = text.trim();
        if (t.equalsIgnoreCase("data")) {
            return DATA;
        }
        if (t.equalsIgnoreCase("pixels")) {
            return new BoxSpec(Kind.PIXELS, Double.NaN, Double.NaN);
        }
        String[] parts = t.split(",");
        if (parts.length != 2) {
            throw new IllegalArgumentException("poison --box " + text + " invalid; give data, pixels or LO,HI");
        }
        try {
            return new BoxSpec(Kind.EXPLICIT, Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("poison --box " + text + " invalid; LO and HI must be numbers", e);
        }
    }

    /**
     * The box for {@code train}: {@code pixelScale} is the table's {@code {mean, std}} pixel
     * standardization (null when it was not made by the pixels featurizer). Fails when the box does
     * not hold every training row, naming the first row and feature outside it.
     */
    InputConstraint.Box resolve(FeatureRows train, double[] pixelScale) {
        double[] x = train.features();
        InputConstraint.Box box = switch (kind) {
            case EXPLICIT -> new InputConstraint.Box(lo, hi);
            case PIXELS -> {
                if (pixelScale == null) {
                    throw new IllegalArgumentException("poison --box pixels needs a training table made by featurize"
                            + " --featurizer pixels without --projection-dim; " + train.source() + " is not");
                }
                yield new InputConstraint.Box(-pixelScale[0] / pixelScale[1], (1 - pixelScale[0]) / pixelScale[1]);
            }
            case DATA -> {
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                for (double v : x) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
                if (!(min < max)) {
                    throw new IllegalArgumentException("poison --box data: every feature of " + train.source()
                            + " equals " + min + "; give --box LO,HI or --ball R");
                }
                yield new InputConstraint.Box(min, max);
            }
        };
        int width = train.width();
        for (int i = 0; i < x.length; i++) {
            if (!box.contains(x[i])) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "poison --box %s excludes the training data: %s uid %s feature %d = %.6g lies outside [%.6g, %.6g]",
                        this, train.source(), train.uid(i / width), i % width, x[i], box.lo(), box.hi()));
            }
        }
        return box;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case DATA -> "data";
            case PIXELS -> "pixels";
            case EXPLICIT -> lo + "," + hi;
        };
    }
}
