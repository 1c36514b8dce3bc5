package io.metagrad.spark.evaluate;

import io.metagrad.spark.schema.Table;
import io.metagrad.spark.schema.TableSchemas;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The class-prompt embeddings a CLIP head is evaluated against, one row per class, row-major. */
final class ZeroShotPrompts {

    private ZeroShotPrompts() {}

    static double[] read(SparkSession spark, String path, int classes, int width) {
        if (path == null) {
            throw new IllegalArgumentException("--prompts is required with --model CLIP: a class-prompts table with embeddings");
        }
        List<Row> rows = TableSchemas.read(spark, Table.CLASS_PROMPTS, path).select("class_id", "embedding").collectAsList();
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
