package io.metagrad.spark.featurize;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.ml.feature.HashingTF;
import org.apache.spark.ml.feature.IDF;
import org.apache.spark.ml.feature.IDFModel;
import org.apache.spark.ml.feature.Normalizer;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Text through Spark MLlib: {@link RegexTokenizer} (lower case, split on non-word characters,
 * Unicode-aware), {@link HashingTF} into {@code numFeatures} buckets (MurmurHash3, so the same
 * word always lands in the same bucket), {@link IDF} fitted on the input (or reused), then L2
 * normalization. An empty text gives the zero vector.
 */
final class HashingTfIdf implements TextFeaturizer {

    static final String NAME = "hashing-tfidf";
    static final String TOKEN_PATTERN = "(?U)\\W+";

    private final int numFeatures;
    private final String input;
    private IDFModel idf;

    HashingTfIdf(int numFeatures, String input) {
        this.numFeatures = numFeatures;
        this.input = input;
    }

    @Override
    public Featurized apply(Dataset<Row> pool, FittedReference reference) {
        RegexTokenizer tokenizer = new RegexTokenizer().setInputCol("text").setOutputCol("_tokens")
                .setPattern(TOKEN_PATTERN).setGaps(true).setToLowercase(true).setMinTokenLength(1);
        HashingTF tf = new HashingTF().setInputCol("_tokens").setOutputCol("_tf").setNumFeatures(numFeatures);
        Dataset<Row> counts = tf.transform(tokenizer.transform(pool));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("numFeatures", numFeatures);
        params.put("tokenPattern", TOKEN_PATTERN);
        params.put("lowercase", true);
        params.put("l2Normalize", true);
        if (reference == null) {
            idf = new IDF().setInputCol("_tf").setOutputCol("_tfidf").fit(counts);
            params.put("idfFittedOn", input);
        } else {
            reference.require(NAME);
            if ((int) reference.number("numFeatures") != numFeatures) {
                throw new IllegalArgumentException("featurize --fitted-from " + reference.path() + " has numFeatures "
                        + (int) reference.number("numFeatures") + "; pass --num-features " + (int) reference.number("numFeatures"));
            }
            idf = IDFModel.load(reference.stateDir() + "/idf");
            params.put("idfFittedOn", reference.params().get("idfFittedOn").getAsString());
            params.put("idfFrom", reference.shownPath());
        }
        Dataset<Row> weighted = new Normalizer().setInputCol("_tfidf").setOutputCol("_unit").setP(2.0)
                .transform(idf.transform(counts));
        Dataset<Row> rows = weighted.withColumn("features", functions.vector_to_array(col("_unit"), "float32"))
                .drop("_tokens", "_tf", "_tfidf", "_unit");
        return new Featurized(rows, NAME, "1/spark-" + org.apache.spark.package$.MODULE$.SPARK_VERSION(), params);
    }

    @Override
    public void saveState(String dir) {
        try {
            idf.write().save(dir + "/" + FittedReference.STATE_DIR + "/idf");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the IDF model in " + dir, e);
        }
    }
}
