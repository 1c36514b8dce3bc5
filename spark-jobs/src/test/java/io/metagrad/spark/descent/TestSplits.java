package io.metagrad.spark.descent;

import io.metagrad.spark.io.FeatureTables;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.schema.Table;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Small seeded train/validation/test features tables for the poison and tune-lr tests: 3 classes,
 * 4 features in [0, 1] (so that a pixel-like box holds them), labels from a noisy linear rule.
 */
public final class TestSplits {

    /** Where the three tables are. */
    public record Paths(String train, String validation, String test) {}

    private TestSplits() {}

    public static Paths write(SparkSession spark, Path dir, int train, int validation, int test, long seed) {
        return new Paths(table(spark, dir.resolve("train"), "tr", train, seed), table(spark, dir.resolve("validation"), "va",
                validation, seed + 1), table(spark, dir.resolve("test"), "te", test, seed + 2));
    }

    private static String table(SparkSession spark, Path path, String prefix, int n, long seed) {
        Random r = new Random(seed);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Float[] x = new Float[4];
            for (int j = 0; j < 4; j++) {
                x[j] = (float) r.nextDouble();
            }
            double score = x[0] - x[1] + 0.3 * r.nextGaussian();
            int label = score > 0.25 ? 2 : score < -0.25 ? 0 : 1;
            rows.add(RowFactory.create(String.format("%s-%04d", prefix, i), java.util.Arrays.asList(x), label, null, "test", "1",
                    "{}", null));
        }
        String p = path.toUri().toString();
        FeatureTables.write(spark.createDataFrame(rows, Table.FEATURES.schema()).coalesce(2), p, false,
                TableManifest.of("test", Table.FEATURES));
        return p;
    }
}
