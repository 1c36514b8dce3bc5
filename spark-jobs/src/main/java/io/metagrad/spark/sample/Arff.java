package io.metagrad.spark.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * A minimal reader for dense ARFF files with string and nominal attributes, one instance per
 * line (the layout of Weka's Reuters examples): values separated by commas, optionally quoted
 * with {@code '} or {@code "}, with backslash escapes ({@code \n}, {@code \'}, ...). Sparse
 * instances, numeric/date attributes and multi-line records are rejected with the file and line.
 * {@code .gz} files are decompressed.
 */
public final class Arff {

    /** One attribute: its name and, for nominal attributes, the allowed values (else empty). */
    public record Attribute(String name, List<String> nominalValues) {}

    /** Parsed file: attributes in order and the instances' values (one string per attribute). */
    public record Data(List<Attribute> attributes, List<String[]> rows) {

        /** Index of the attribute named {@code name} (case-insensitive). */
        public int index(String name) {
            for (int i = 0; i < attributes.size(); i++) {
                if (attributes.get(i).name().equalsIgnoreCase(name)) {
                    return i;
                }
            }
            throw new IllegalArgumentException("ARFF has no attribute '" + name + "'");
        }
    }

    private Arff() {}

    /** Reads {@code file} (plain or gzip). */
    public static Data read(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), file.toString());
        }
    }

    /** Parses ARFF text; {@code name} is used in error messages. */
    public static Data parse(BufferedReader reader, String name) throws IOException {
        List<Attribute> attributes = new ArrayList<>();
        List<String[]> rows = new ArrayList<>();
        boolean data = false;
        String line;
        int lineNo = 0;
        while ((line = reader.readLine()) != null) {
            lineNo++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("%")) {
                continue;
            }
            String lower = t.toLowerCase(Locale.ROOT);
            if (!data && lower.startsWith("@attribute")) {
                attributes.add(attribute(t.substring("@attribute".length()).strip(), name, lineNo));
            } else if (!data && lower.startsWith("@data")) {
                data = true;
            } else if (!data && lower.startsWith("@relation")) {
                continue;
            } else if (data) {
                rows.add(instance(t, attributes, name, lineNo));
            } else {
                throw new IllegalArgumentException(name + " line " + lineNo + ": unexpected header line '" + abbreviate(t) + "'");
            }
        }
        if (!data) {
            throw new IllegalArgumentException(name + ": no @data section");
        }
        return new Data(List.copyOf(attributes), rows);
    }

    private static Attribute attribute(String rest, String file, int lineNo) {
        List<String> nameAndType = new ArrayList<>();
        int[] pos = {0};
        nameAndType.add(token(rest, pos, " \t", file, lineNo));
        String type = rest.substring(pos[0]).strip();
        if (type.startsWith("{") && type.endsWith("}")) {
            List<String> values = new ArrayList<>();
            String inner = type.substring(1, type.length() - 1);
            int[] p = {0};
            while (p[0] < inner.length()) {
                values.add(token(inner, p, ",", file, lineNo).strip());
                p[0]++; // skip the comma
            }
            return new Attribute(nameAndType.get(0), List.copyOf(values));
        }
        if (type.equalsIgnoreCase("string")) {
            return new Attribute(nameAndType.get(0), List.of());
        }
        throw new IllegalArgumentException(file + " line " + lineNo + ": attribute type '" + type
                + "' is not supported (only string and nominal)");
    }

    private static String[] instance(String line, List<Attribute> attributes, String file, int lineNo) {
        if (line.startsWith("{")) {
            throw new IllegalArgumentException(file + " line " + lineNo + ": sparse instances are not supported");
        }
        String[] values = new String[attributes.size()];
        int[] pos = {0};
        for (int a = 0; a < values.length; a++) {
            if (pos[0] >= line.length()) {
                throw new IllegalArgumentException(file + " line " + lineNo + ": " + a + " values, expected " + values.length);
            }
            String v = token(line, pos, ",", file, lineNo).strip();
            Attribute attr = attributes.get(a);
            if (!attr.nominalValues().isEmpty() && !attr.nominalValues().contains(v)) {
                throw new IllegalArgumentException(file + " line " + lineNo + " field '" + attr.name() + "': '"
                        + abbreviate(v) + "' is not one of " + attr.nominalValues());
            }
            values[a] = v;
            pos[0]++; // skip the separator
        }
        if (pos[0] < line.length()) {
            throw new IllegalArgumentException(file + " line " + lineNo + ": more than " + values.length + " values");
        }
        return values;
    }

    /** Reads one value at {@code pos[0]}, quoted or up to a separator; leaves pos at the separator. */
    private static String token(String s, int[] pos, String separators, String file, int lineNo) {
        int i = pos[0];
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        if (i < s.length() && (s.charAt(i) == '\'' || s.charAt(i) == '"')) {
            char quote = s.charAt(i);
            StringBuilder b = new StringBuilder();
            for (i++; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length()) {
                    char e = s.charAt(++i);
                    b.append(switch (e) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case 'r' -> '\r';
                        default -> e;
                    });
                } else if (c == quote) {
                    pos[0] = i + 1;
                    while (pos[0] < s.length() && separators.indexOf(s.charAt(pos[0])) < 0) {
                        if (!Character.isWhitespace(s.charAt(pos[0]))) {
                            throw new IllegalArgumentException(file + " line " + lineNo + ": text after closing quote");
                        }
                        pos[0]++;
                    }
                    return b.toString();
                } else {
                    b.append(c);
                }
            }
            throw new IllegalArgumentException(file + " line " + lineNo + ": unterminated quoted value");
        }
        int start = i;
        while (i < s.length() && separators.indexOf(s.charAt(i)) < 0) {
            i++;
        }
        pos[0] = i;
        return s.substring(start, i);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
