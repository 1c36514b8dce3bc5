package io.metagrad.spark.ingest;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** JSON Lines: one object per line; rows are line numbers; blank lines are skipped. */
final class JsonlSource implements IngestSource {

    @Override
    public Dataset<Row> read(SparkSession session, List<String> files, CheckRules rules) {
        // The raw bytes of each line: Spark's strings would have turned invalid UTF-8 into U+FFFD already.
        Dataset<Row> lines = session.read().text(files.toArray(new String[0]))
                .select(col("value").cast("binary"), col("_metadata.file_path"));
        CheckRules resolvedRules = rules.resolve(files.get(0), null); // explicit --vector lists only: JSONL has no column order
        resolved = resolvedRules.tabular();
        return lines.mapPartitions(new Parse(resolvedRules), Encoders.row(CheckedRows.SCHEMA));
    }

    private TabularColumns resolved = TabularColumns.NONE;

    @Override
    public TabularColumns resolved() {
        return resolved;
    }

    private static final class Parse implements MapPartitionsFunction<Row, Row> {
        private final CheckRules rules;

        Parse(CheckRules rules) {
            this.rules = rules;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> input) {
            return new FileRows(input) {
                @Override
                String fileOf(Row in) {
                    return in.getString(1);
                }

                @Override
                Row convert(Row in, String file, long row) {
                    byte[] bytes = in.getAs(0);
                    String line;
                    try {
                        line = Utf8.decode(bytes);
                    } catch (Utf8.Invalid e) {
                        return CheckedRows.broken(file, row, e.getMessage(), Utf8.escaped(bytes));
                    }
                    if (line.isBlank()) {
                        return null;
                    }
                    Map<String, Object> object;
                    try {
                        object = parseObject(line);
                    } catch (IOException | RuntimeException e) {
                        return CheckedRows.broken(file, row, "not a JSON object: " + e.getMessage(), line);
                    }
                    return CheckedRows.row(CheckedRows.check(file, row, new JsonRecord(object, line), rules));
                }
            };
        }
    }

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // reads NaN and Infinity, so checks can name them
            .build();

    /** Parses one JSON object; refuses repeated keys, which JSON libraries would silently collapse. */
    static Map<String, Object> parseObject(String line) throws IOException {
        try (JsonParser parser = JSON.createParser(line)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new IOException("the line holds " + (first == null ? "nothing" : "a " + kind(first)));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> object = (Map<String, Object>) value(parser, false);
            if (parser.nextToken() != null) {
                throw new IOException("text follows the object");
            }
            return object;
        } catch (JsonProcessingException e) {
            throw new IOException(e.getOriginalMessage(), e);
        }
    }

    private static String kind(JsonToken t) {
        return switch (t) {
            case START_ARRAY -> "JSON array";
            case VALUE_STRING -> "JSON string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "JSON number";
            default -> "JSON " + t.asString();
        };
    }

    /** The value at the parser's current token. */
    private static Object value(JsonParser parser, boolean inArray) throws IOException {
        switch (parser.currentToken()) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                    String key = parser.currentName();
                    parser.nextToken();
                    if (map.containsKey(key)) {
                        throw new IOException("key '" + key + "' appears twice");
                    }
                    map.put(key, value(parser, false));
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    list.add(value(parser, true));
                }
                return list;
            }
            case VALUE_STRING -> {
                return parser.getText();
            }
            case VALUE_NUMBER_INT -> {
                return inArray ? (Object) parser.getDoubleValue() : new BigDecimal(parser.getBigIntegerValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                if (parser.isNaN() || inArray) {
                    return parser.getDoubleValue();
                }
                return parser.getDecimalValue();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return parser.getBooleanValue();
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new IOException("unexpected " + parser.currentToken());
        }
    }

    private record JsonRecord(Map<String, Object> object, String line) implements RawRecord {
        @Override
        public Iterable<String> fields() {
            return object.keySet();
        }

        @Override
        public Object value(String field) {
            return object.get(field);
        }

        @Override
        public boolean textual() {
            return false;
        }

        @Override
        public String render() {
            return line;
        }
    }
}
