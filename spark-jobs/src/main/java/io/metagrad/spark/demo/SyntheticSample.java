package io.metagrad.spark.demo;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A small seeded classification problem written as features tables ({@code features/v1} columns):
 * Gaussian classes, a pool with some labels flipped and some items duplicated under new uids, and
 * clean target and test sets. Uids are 32-hex, like DataComp's. Used by the tests, and by the demo
 * until the shipped Fashion-MNIST sample and its ingest/featurize jobs are wired in.
 *
 * @param classes number of classes
 * @param dim feature width
 * @param poolSize pool rows (clean + flipped + duplicates)
 * @param flippedFraction share of pool rows whose label is replaced by another class
 * @param duplicateFraction share of pool rows that copy another pool row under a new uid
 * @param targetSize target-set rows (clean)
 * @param testSize test-set rows (clean)
 * @param separation distance scale between class means
 * @param seed everything is a function of it
 */
public record SyntheticSample(int classes, int dim, int poolSize, double flippedFraction, double duplicateFraction,
        int targetSize, int testSize, double separation, long seed) {

    /** Where the tables were written. {@code pool} has {@code uid, label, source} (clean/flipped/duplicate). */
    public record Paths(String pool, String poolFeatures, String targetFeatures, String testFeatures) {}

    /** The schema of the features tables written here. */
    public static final StructType FEATURES = new StructType(new StructField[] {
        DataTypes.createStructField("uid", DataTypes.StringType, false),
        DataTypes.createStructField("features", DataTypes.createArrayType(DataTypes.FloatType, false), false),
        DataTypes.createStructField("label", DataTypes.IntegerType, true),
        DataTypes.createStructField("target", DataTypes.createArrayType(DataTypes.FloatType, false), true),
        DataTypes.createStructField("featurizer", DataTypes.StringType, true),
        DataTypes.createStructField("featurizer_version", DataTypes.StringType, true),
        DataTypes.createStructField("featurizer_params", DataTypes.StringType, true),
    });

    private static final StructType POOL = new StructType(new StructField[] {
        DataTypes.createStructField("uid", DataTypes.StringType, false),
        DataTypes.createStructField("label", DataTypes.IntegerType, true),
        DataTypes.createStructField("source", DataTypes.StringType, true),
    });

    /** Writes the four tables under {@code dir} (replacing them). */
    public Paths write(SparkSession spark, String dir) {
        Random r = new Random(seed);
        double[][] means = new double[classes][dim];
        for (double[] m : means) {
            for (int j = 0; j < dim; j++) {
                m[j] = separation * r.nextGaussian();
            }
        }
        List<Row> pool = new ArrayList<>();
        List<Row> poolFeatures = new ArrayList<>();
        int duplicates = (int) Math.round(duplicateFraction * poolSize);
        int originals = poolSize - duplicates;
        int flipped = (int) Math.round(flippedFraction * originals);
        List<float[]> xs = new ArrayList<>();
        List<Integer> ys = new ArrayList<>();
        for (int i = 0; i < originals; i++) {
            int y = r.nextInt(classes);
            float[] x = sample(means[y], r);
            String source = "clean";
            if (i < flipped) {
                y = (y + 1 + r.nextInt(classes - 1)) % classes;
                source = "flipped";
            }
            xs.add(x);
            ys.add(y);
            add(pool, poolFeatures, uid(r), x, y, source);
        }
        for (int i = 0; i < duplicates; i++) {
            int of = r.nextInt(originals);
            add(pool, poolFeatures, uid(r), xs.get(of), ys.get(of), "duplicate");
        }
        List<Row> target = clean(targetSize, means, r);
        List<Row> test = clean(testSize, means, r);
        Paths paths = new Paths(dir + "/pool", dir + "/pool_features", dir + "/target_features", dir + "/test_features");
        spark.createDataFrame(pool, POOL).coalesce(1).write().mode(SaveMode.Overwrite).parquet(paths.pool());
        spark.createDataFrame(poolFeatures, FEATURES).coalesce(1).write().mode(SaveMode.Overwrite).parquet(paths.poolFeatures());
        spark.createDataFrame(target, FEATURES).coalesce(1).write().mode(SaveMode.Overwrite).parquet(paths.targetFeatures());
        spark.createDataFrame(test, FEATURES).coalesce(1).write().mode(SaveMode.Overwrite).parquet(paths.testFeatures());
        return paths;
    }

    private List<Row> clean(int n, double[][] means, Random r) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int y = r.nextInt(classes);
            rows.add(featureRow(uid(r), sample(means[y], r), y));
        }
        return rows;
    }

    private static void add(List<Row> pool, List<Row> features, String uid, float[] x, int y, String source) {
        pool.add(RowFactory.create(uid, y, source));
        features.add(featureRow(uid, x, y));
    }

    private static Row featureRow(String uid, float[] x, int y) {
        Float[] boxed = new Float[x.length];
        for (int j = 0; j < x.length; j++) {
            boxed[j] = x[j];
        }
        return RowFactory.create(uid, boxed, y, null, "synthetic", "1", "{}");
    }

    private float[] sample(double[] mean, Random r) {
        float[] x = new float[dim];
        for (int j = 0; j < dim; j++) {
            x[j] = (float) (mean[j] + r.nextGaussian());
        }
        return x;
    }

    private static String uid(Random r) {
        byte[] b = new byte[16];
        r.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
