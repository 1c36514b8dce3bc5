package io.metagrad.spark.ingest;

import static org.apache.spark.sql.functions.col;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * CSV (RFC 4180 quoting, one record per line) with a header naming pool fields; every file must
 * have the same header. Rows are numbered from 1 after the header; blank lines are skipped. Empty
 * values read as null. Lines must be valid UTF-8.
 */
final class CsvSource implements IngestSource {

    private List<String> ignored = List.of();
    private TabularColumns resolved = TabularColumns.NONE;

    @Override
    public Dataset<Row> read(SparkSession session, List<String> files, CheckRules rules) {
        Configuration hadoop = session.sparkContext().hadoopConfiguration();
        String[] header = null;
        String headerFile = null;
        for (String f : files) {
            String[] h = header(f, hadoop);
            if (header == null) {
                header = h;
                headerFile = f;
            } else if (!Arrays.equals(header, h)) {
                throw new IllegalArgumentException(f + ": header " + Arrays.toString(h) + " differs from "
                        + Arrays.toString(header) + " in " + headerFile + "; ingest files with one header together");
            }
        }
        rules = rules.resolve(headerFile, Arrays.asList(header)); // --vector prefixes in header order
        resolved = rules.tabular();
        ignored = ColumnCheck.check(headerFile, Arrays.asList(header), rules, false);
        List<String> kept = new ArrayList<>();
        for (String c : header) {
            if (!ignored.contains(c)) {
                kept.add(c);
            }
        }
        // Lines as raw bytes, parsed here: Spark's CSV reader decodes with replacement (invalid UTF-8 → U+FFFD).
        Dataset<Row> lines = session.read().text(files.toArray(new String[0]))
                .select(col("value").cast("binary"), col("_metadata.file_path"));
        return lines.mapPartitions(new Parse(kept, header, rules), Encoders.row(CheckedRows.SCHEMA));
    }

    @Override
    public TabularColumns resolved() {
        return resolved;
    }

    @Override
    public List<String> ignoredColumns() {
        return ignored;
    }

    private static String[] header(String file, Configuration hadoop) {
        Path path = new Path(file);
        try {
            InputStream raw = path.getFileSystem(hadoop).open(path);
            CompressionCodec codec = new CompressionCodecFactory(hadoop).getCodec(path);
            try (InputStream in = codec == null ? raw : codec.createInputStream(raw)) {
                byte[] first = firstLine(in);
                String line;
                try {
                    line = first == null ? null : Utf8.decode(first);
                } catch (Utf8.Invalid e) {
                    throw new IllegalArgumentException(file + " line 1 (the header): " + e.getMessage());
                }
                if (line == null || line.isBlank()) {
                    throw new IllegalArgumentException(file + ": empty file; CSV input needs a header row naming pool fields");
                }
                String[] names = parser(1 << 16).parseLine(line);
                for (int i = 0; i < names.length; i++) {
                    names[i] = names[i] == null ? "" : names[i].strip();
                }
                return names;
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " line 1: cannot be read (" + CurrentFile.reason(e)
                    + "); is the file truncated or corrupt?", e);
        }
    }

    /** The bytes of the first line (without its end), or null for an empty stream. */
    private static byte[] firstLine(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            b.write(c);
        }
        if (c == -1 && b.size() == 0) {
            return null;
        }
        byte[] line = b.toByteArray();
        return line.length > 0 && line[line.length - 1] == '\r' ? Arrays.copyOf(line, line.length - 1) : line;
    }

    /** RFC 4180 quoting, fields as they are (no trimming), empty fields (quoted or not) as null. */
    static CsvParser parser(int maxColumns) {
        CsvParserSettings settings = new CsvParserSettings();
        settings.setNullValue(null);
        settings.setEmptyValue(null);
        settings.setIgnoreLeadingWhitespaces(false);
        settings.setIgnoreTrailingWhitespaces(false);
        settings.setMaxColumns(maxColumns);
        settings.setMaxCharsPerColumn(-1);
        settings.getFormat().setQuote('"');
        settings.getFormat().setQuoteEscape('"');
        return new CsvParser(settings);
    }

    private static final class Parse implements MapPartitionsFunction<Row, Row> {
        private final List<String> columns;
        private final String[] header;
        private final CheckRules rules;

        Parse(List<String> columns, String[] header, CheckRules rules) {
            this.columns = columns;
            this.header = header;
            this.rules = rules;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> input) {
            CsvParser parser = parser(header.length + 2);
            Map<String, Integer> at = new java.util.HashMap<>();
            for (int i = 0; i < header.length; i++) {
                at.put(header[i], i);
            }
            return new FileRows(input) {
                private String current;
                private long dataRow;

                @Override
                String fileOf(Row in) {
                    return in.getString(1);
                }

                @Override
                Row convert(Row in, String file, long line) {
                    if (!file.equals(current)) {
                        current = file;
                        dataRow = 0;
                    }
                    if (line == 1) {
                        return null; // the header, checked on the driver
                    }
                    byte[] bytes = in.getAs(0);
                    String text;
                    try {
                        text = Utf8.decode(bytes);
                    } catch (Utf8.Invalid e) {
                        return CheckedRows.broken(file, ++dataRow, e.getMessage(), Utf8.escaped(bytes));
                    }
                    if (text.isBlank()) {
                        return null; // rows are counted after the header, blank lines not
                    }
                    dataRow++;
                    String[] fields;
                    try {
                        fields = parser.parseLine(text);
                    } catch (RuntimeException e) {
                        fields = null;
                    }
                    if (fields == null || fields.length != header.length) {
                        return CheckedRows.broken(file, dataRow, "malformed CSV line (the header has " + header.length
                                + " fields)", text);
                    }
                    return CheckedRows.row(CheckedRows.check(file, dataRow, new CsvRecord(columns, at, fields), rules));
                }
            };
        }
    }

    private record CsvRecord(List<String> columns, Map<String, Integer> at, String[] values) implements RawRecord {
        @Override
        public Iterable<String> fields() {
            return columns;
        }

        @Override
        public Object value(String field) {
            Integer i = columns.contains(field) ? at.get(field) : null;
            return i == null ? null : values[i];
        }

        @Override
        public boolean textual() {
            return true;
        }

        @Override
        public String render() {
            Map<String, Object> values = new LinkedHashMap<>();
            for (String c : columns) {
                values.put(c, value(c));
            }
            return RowRecords.json(values);
        }
    }
}
