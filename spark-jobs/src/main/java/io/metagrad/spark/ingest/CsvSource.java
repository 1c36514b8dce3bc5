package io.metagrad.spark.ingest;

import static org.apache.spark.sql.functions.col;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * CSV (RFC 4180 quoting, one record per line) with a header naming pool fields; every file must
 * have the same header. Rows are numbered from 1 after the header. Empty values read as null.
 */
final class CsvSource implements IngestSource {

    private static final String CORRUPT = "_corrupt_record";
    private List<String> ignored = List.of();

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
        ignored = ColumnCheck.check(headerFile, Arrays.asList(header), rules, false);

        StructType schema = new StructType();
        for (String c : header) {
            schema = schema.add(c, DataTypes.StringType, true);
        }
        schema = schema.add(CORRUPT, DataTypes.StringType, true);
        List<Column> columns = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (String c : header) {
            if (!ignored.contains(c)) {
                columns.add(col("`" + c + "`"));
                kept.add(c);
            }
        }
        columns.add(col(CORRUPT));
        columns.add(col("_metadata.file_path"));
        Dataset<Row> rows = session.read().schema(schema)
                .option("header", true).option("enforceSchema", true) // the headers were compared above
                .option("mode", "PERMISSIVE").option("columnNameOfCorruptRecord", CORRUPT)
                .option("escape", "\"").option("multiLine", false)
                .csv(files.toArray(new String[0]))
                .select(columns.toArray(new Column[0]));
        return rows.mapPartitions(new Parse(kept, header.length, rules), Encoders.row(CheckedRows.SCHEMA));
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
            try (BufferedReader in = new BufferedReader(new InputStreamReader(
                    codec == null ? raw : codec.createInputStream(raw), StandardCharsets.UTF_8))) {
                String line = in.readLine();
                if (line == null || line.isBlank()) {
                    throw new IllegalArgumentException(file + ": empty file; CSV input needs a header row naming pool fields");
                }
                CsvParserSettings settings = new CsvParserSettings();
                settings.setNullValue("");
                String[] names = new CsvParser(settings).parseLine(line);
                for (int i = 0; i < names.length; i++) {
                    names[i] = names[i].strip();
                }
                return names;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the header of " + file, e);
        }
    }

    private static final class Parse implements MapPartitionsFunction<Row, Row> {
        private final List<String> columns;
        private final int headerWidth;
        private final CheckRules rules;

        Parse(List<String> columns, int headerWidth, CheckRules rules) {
            this.columns = columns;
            this.headerWidth = headerWidth;
            this.rules = rules;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> input) {
            int corrupt = columns.size();
            return new FileRows(input) {
                @Override
                String fileOf(Row in) {
                    return in.getString(corrupt + 1);
                }

                @Override
                Row convert(Row in, String file, long row) {
                    if (!in.isNullAt(corrupt)) {
                        return CheckedRows.broken(file, row, "malformed CSV line (the header has " + headerWidth
                                + " fields)", in.getString(corrupt));
                    }
                    return CheckedRows.row(CheckedRows.check(file, row, new CsvRecord(columns, in), rules));
                }
            };
        }
    }

    private record CsvRecord(List<String> columns, Row row) implements RawRecord {
        @Override
        public Iterable<String> fields() {
            return columns;
        }

        @Override
        public Object value(String field) {
            int i = columns.indexOf(field);
            return i < 0 || row.isNullAt(i) ? null : row.getString(i);
        }

        @Override
        public boolean textual() {
            return true;
        }

        @Override
        public String render() {
            Map<String, Object> values = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                values.put(columns.get(i), row.isNullAt(i) ? null : row.getString(i));
            }
            return RowRecords.json(values);
        }
    }
}
