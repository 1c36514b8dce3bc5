package io.metagrad.spark.ingest;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Converts the raw values of an input record into the pool's field types, or says precisely
 * why not. Raw values are what the readers produce: {@code null}, {@link String},
 * {@link Number} ({@link BigDecimal} for JSON scalars), {@link Boolean}, {@code byte[]},
 * {@link List} or {@link Map}. In <em>textual</em> input (CSV) every value is a string, and
 * numbers, vectors ({@code "[0.1, 0.2]"} or {@code "0.1 0.2"}) and images (base64) are parsed
 * from it.
 */
final class PoolValues {

    static final int MAX_UID_LENGTH = 256;

    private PoolValues() {}

    /** The uid: a non-empty string without control characters or surrounding whitespace. */
    static String uid(Object v) throws BadField {
        if (v == null) {
            throw new BadField("uid", "missing (every pool row needs a uid)");
        }
        if (!(v instanceof String s)) {
            throw wrongType("uid", "string", v);
        }
        if (s.isEmpty()) {
            throw new BadField("uid", "empty");
        }
        if (s.length() > MAX_UID_LENGTH) {
            throw new BadField("uid", "longer than " + MAX_UID_LENGTH + " characters");
        }
        if (!s.strip().equals(s)) {
            throw new BadField("uid", "has leading or trailing whitespace: " + quote(s));
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                throw new BadField("uid", "contains a control character at position " + i);
            }
        }
        return s;
    }

    static String string(String field, Object v) throws BadField {
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw wrongType(field, "string", v);
    }

    /** A finite number (a DataComp similarity score): JSON or Parquet number, CSV text. */
    static Double number(String field, Object v, boolean textual) throws BadField {
        if (v == null) {
            return null;
        }
        double value;
        if (textual && v instanceof String s) {
            try {
                value = Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                throw wrongType(field, "double", v);
            }
        } else if (v instanceof Number n) {
            value = n.doubleValue();
        } else {
            throw wrongType(field, "double", v);
        }
        if (!Double.isFinite(value)) {
            throw new BadField(field, "is " + value + "; must be finite");
        }
        return value;
    }

    /** An image side in pixels: an integer {@code >= 1} (DataComp's {@code original_width}/{@code original_height}). */
    static Integer pixels(String field, Object v, boolean textual) throws BadField {
        if (v == null) {
            return null;
        }
        Double d = number(field, v, textual);
        if (d != Math.rint(d) || d < 1 || d > Integer.MAX_VALUE) {
            throw new BadField(field, "is " + describe(v) + "; must be a whole number of pixels >= 1");
        }
        return d.intValue();
    }

    /** A SHA-256 digest: 64 hex digits, stored lowercase. */
    static String sha256(Object v) throws BadField {
        String s = string("sha256", v);
        if (s == null) {
            return null;
        }
        if (!s.matches("[0-9a-fA-F]{64}")) {
            throw new BadField("sha256", "is " + describe(v) + "; must be 64 hex digits");
        }
        return s.toLowerCase(java.util.Locale.ROOT);
    }

    /** A class id: an integer {@code >= 0} (JSON 3 or 3.0; Parquet int or long; CSV "3"). */
    static Integer label(Object v, boolean textual) throws BadField {
        if (v == null) {
            return null;
        }
        long value;
        if (textual && v instanceof String s) {
            try {
                value = Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                throw wrongType("label", "int", v);
            }
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            value = ((Number) v).longValue();
        } else if (v instanceof BigDecimal d) {
            try {
                value = d.longValueExact();
            } catch (ArithmeticException e) {
                throw wrongType("label", "int", v);
            }
        } else {
            throw wrongType("label", "int", v);
        }
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new BadField("label", "is " + value + "; class ids are in [0, " + Integer.MAX_VALUE + "] (null means unlabeled)");
        }
        return (int) value;
    }

    /**
     * A label to index ({@code --index-labels}): its text, as {@code StringIndexer} reads a column cast to string
     * (a number as written, e.g. {@code 3} or {@code 2.5}).
     */
    static String labelText(String field, Object v) throws BadField {
        if (v == null || v instanceof String) {
            return (String) v;
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        throw wrongType(field, "string or number (a label to index)", v);
    }

    /**
     * One cell of a {@code --vector}: a finite number that fits a float (int, long, float, double, decimal;
     * in CSV the text of one).
     */
    static float vectorCell(String column, String vector, Object v, boolean textual) throws BadField {
        if (v == null) {
            throw new BadField(column, "is empty; --vector " + vector + " needs a number in every row");
        }
        double value;
        if (textual && v instanceof String s) {
            try {
                value = Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                throw new BadField(column, "is not a number (--vector " + vector + " gathers it): " + describe(v));
            }
        } else if (v instanceof Number n) {
            value = n.doubleValue();
        } else {
            throw new BadField(column, "is not a number (--vector " + vector + " gathers it): " + describe(v));
        }
        if (!Double.isFinite(value)) {
            throw new BadField(column, "is " + value + "; --vector " + vector + " needs finite numbers");
        }
        if (Float.isInfinite((float) value)) {
            throw new BadField(column, "is " + value + ", outside the float range (--vector " + vector + ")");
        }
        return (float) value;
    }

    /** Encoded image bytes (binary, or base64 text), which must start like PNG or JPEG. */
    static byte[] image(Object v) throws BadField {
        if (v == null) {
            return null;
        }
        byte[] bytes;
        if (v instanceof byte[] b) {
            bytes = b;
        } else if (v instanceof String s) {
            try {
                bytes = Base64.getDecoder().decode(s.strip());
            } catch (IllegalArgumentException e) {
                throw new BadField("image", "is a string but not base64: " + e.getMessage());
            }
        } else {
            throw wrongType("image", "binary (or base64 string)", v);
        }
        if (!isPng(bytes) && !isJpeg(bytes)) {
            throw new BadField("image", "is not PNG or JPEG bytes (" + bytes.length + " bytes)");
        }
        return bytes;
    }

    /**
     * A vector of finite floats. {@code unitInterval} additionally requires values in [0, 1]
     * (pixels).
     */
    static float[] vector(String field, Object v, boolean textual, boolean unitInterval) throws BadField {
        if (v == null) {
            return null;
        }
        List<?> values;
        if (v instanceof float[] f) {
            return checked(field, f, unitInterval);
        } else if (textual && v instanceof String s) {
            values = parseList(field, s);
        } else if (v instanceof List<?> l) {
            values = l;
        } else {
            throw wrongType(field, "array<float>", v);
        }
        if (values.isEmpty()) {
            throw new BadField(field, "is an empty array");
        }
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            Object x = values.get(i);
            if (x == null) {
                throw new BadField(field, "has null at index " + i);
            }
            if (!(x instanceof Number n)) {
                throw new BadField(field, "has " + describe(x) + " at index " + i + " where a number belongs");
            }
            double d = n.doubleValue();
            if (Double.isFinite(d) && Float.isInfinite((float) d)) {
                throw new BadField(field, "has " + d + " at index " + i + ", outside the float range");
            }
            out[i] = (float) d;
        }
        return checked(field, out, unitInterval);
    }

    private static float[] checked(String field, float[] values, boolean unitInterval) throws BadField {
        if (values.length == 0) {
            throw new BadField(field, "is an empty array");
        }
        for (int i = 0; i < values.length; i++) {
            float x = values[i];
            if (!Float.isFinite(x)) {
                throw new BadField(field, "has " + x + " at index " + i);
            }
            if (unitInterval && (x < 0 || x > 1)) {
                throw new BadField(field, "has " + x + " at index " + i + "; pixel intensities are in [0, 1]");
            }
        }
        return values;
    }

    private static List<Double> parseList(String field, String text) throws BadField {
        String s = text.strip();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1).strip();
        }
        List<Double> out = new ArrayList<>();
        if (s.isEmpty()) {
            return out;
        }
        String[] parts = s.split("[\\s,;]+");
        for (int i = 0; i < parts.length; i++) {
            try {
                out.add(switch (parts[i].toLowerCase(java.util.Locale.ROOT)) {
                    case "nan" -> Double.NaN; // spelled as numpy and pandas write them, reported as such
                    case "inf", "+inf", "infinity", "+infinity" -> Double.POSITIVE_INFINITY;
                    case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
                    default -> Double.parseDouble(parts[i]);
                });
            } catch (NumberFormatException e) {
                throw new BadField(field, "has " + quote(parts[i]) + " at index " + i + " where a number belongs");
            }
        }
        return out;
    }

    private static boolean isPng(byte[] b) {
        return b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
                && b[4] == 0x0d && b[5] == 0x0a && b[6] == 0x1a && b[7] == 0x0a;
    }

    private static boolean isJpeg(byte[] b) {
        return b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff;
    }

    static BadField wrongType(String field, String expected, Object v) {
        return new BadField(field, "wrong type: expected " + expected + ", got " + describe(v));
    }

    /** A short description of a raw value for messages, e.g. {@code string "cat"}. */
    static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return "string " + quote(s);
        }
        if (v instanceof Boolean b) {
            return "boolean " + b;
        }
        if (v instanceof Number n) {
            String type = v instanceof BigDecimal ? "" : " (" + v.getClass().getSimpleName().toLowerCase() + ")";
            return "number " + (v instanceof BigDecimal d ? d.toPlainString() : n.toString()) + type;
        }
        if (v instanceof byte[] b) {
            return "binary (" + b.length + " bytes)";
        }
        if (v instanceof List<?> || v instanceof float[]) {
            return "array";
        }
        if (v instanceof Map<?, ?>) {
            return "object";
        }
        return v.getClass().getSimpleName();
    }

    private static String quote(String s) {
        String shown = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        return "\"" + shown.replace("\n", "\\n") + "\"";
    }
}
