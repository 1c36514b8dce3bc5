package io.metagrad.spark.io;

import io.metagrad.spark.schema.Table;
import io.metagrad.spark.schema.TableSchemas;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The class-prompt embeddings a CLIP head is evaluated against, one row per class, row-major. */
public final class ZeroShotPrompts {

    private ZeroShotPrompts() {}

    /** The prompts of classes {@code 0..classes-1}, each {@code width} wide; every class needs one. */
    public static double[] read(SparkSession spark, String path, int classes, int width) {
        return read(path, rows(spark, path), classes, width);
    }

    /** All the table's prompts; its classes are {@code 0..max class_id}. */
    public static double[] read(SparkSession spark, String path, int width) {
        List<Row> rows = rows(spark, path);
        int classes = rows.stream().mapToInt(r -> r.getInt(0) + 1).max().orElseThrow(
                () -> new IllegalArgumentException("class-prompts table " + path + " has no rows"));
        return read(path, rows, classes, width);
    }

    private static List<Row> rows(SparkSession spark, String path) {
        if (path == null) {
            throw new IllegalArgumentException("--prompts is required with --model CLIP: a class-prompts table with embeddings");
        }
        return TableSchemas.read(spark, Table.CLASS_PROMPTS, path).select("class_id", "embedding").collectAsList();
    }

    private static double[] read(String path, List<Row> rows, int classes, int width) {
        double[] out = new double[classes * width];
        boolean[] seen = new boolean[classes];
        for (Row r : rows) {
            int c = r.getInt(0);
            if (c < 0 || c >= classes) {
                throw new IllegalArgumentException("class-prompts table " + path + ": class_id " + c + " outside [0, " + classes + ")");
            }
            if (r.isNullAt(1)) {
                throw new IllegalArgumentException("class-prompts table " + path + " class_id " + c
                        + ": field 'embedding' is null; embed the prompts with mgd featurize first");
            }
            List<Object> e = r.getList(1);
            if (e.size() != width) {
                throw new IllegalArgumentException("class-prompts table " + path + " class_id " + c + ": field 'embedding' has "
                        + e.size() + " values; the pool's text embeddings have " + width);
            }
            for (int j = 0; j < width; j++) {
                out[c * width + j] = ((Number) e.get(j)).doubleValue();
            }
            seen[c] = true;
        }
        for (int c = 0; c < classes; c++) {
            if (!seen[c]) {
                throw new IllegalArgumentException("class-prompts table " + path + " has no prompt for class " + c);
            }
        }
        return out;
    }
}
