package io.metagrad.spark.sample;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.md5;

import io.metagrad.spark.Progress;
import io.metagrad.spark.attribute.AttributionSetup;
import io.metagrad.spark.attribute.SelectionScores;
import io.metagrad.spark.io.AtomicOutput;
import io.metagrad.spark.io.FeatureTables;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.io.OutputGuard;
import io.metagrad.spark.io.npy.Float32Npz;
import io.metagrad.spark.schema.Table;
import io.metagrad.spark.schema.TableSchemas;
import io.metagrad.spark.select.Method;
import io.metagrad.spark.train.SmoothingKnobs;
import io.metagrad.spark.train.TrainingOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code mgd sample-datacomp}: writes a CLIP-style image–caption pool ({@code sample-clip}'s pool table and its
 * features) as DataComp metadata shards, the layout {@code ingest --format datacomp} reads and DataComp's
 * filtering track ships: {@code NNNNNNNN.parquet} with {@code uid} (32 hex digits: MD5 of the sample's uid),
 * {@code url}, {@code text}, {@code original_width}, {@code original_height}, {@code clip_b32_similarity_score}
 * and {@code caption_kind} (the sample's clean / wrong / off-topic mark, a column {@code --keep-column} can keep),
 * plus {@code NNNNNNNN.npz} with DataComp's array names {@code b32_img} (the image features) and {@code b32_txt}
 * (the caption embedding), row-aligned.
 *
 * <p>The similarity score is the cosine of each pair's image and caption embeddings in the joint space of a
 * reference CLIP head trained on the clean target pairs (what {@code select --method clip-score} ranks by without
 * {@code --score-column}); it stands in for OpenAI CLIP ViT-B/32's, which cannot run here. The sizes are the true
 * ones: Fashion-MNIST images are 28 × 28. Rows stream to the driver one at a time (uid order), a shard at a time.
 */
public final class DataCompSampleBuilder {

    /** The metadata schema of a shard. */
    static final StructType METADATA = new StructType().add("uid", DataTypes.StringType, false).add("url", DataTypes.StringType)
            .add("text", DataTypes.StringType).add("original_width", DataTypes.LongType).add("original_height", DataTypes.LongType)
            .add("clip_b32_similarity_score", DataTypes.DoubleType).add("caption_kind", DataTypes.StringType);
    /** Schema id of the shards directory's {@code _metagrad.json} (the shards themselves are DataComp's layout). */
    public static final String SHARDS_SCHEMA = "datacomp-shards/v1";
    /** Fashion-MNIST's image side, in pixels. */
    static final long SIDE = 28;

    private DataCompSampleBuilder() {}

    /**
     * @param sample   a pool table with {@code text} and {@code source} ({@code sample-clip}'s {@code pool})
     * @param features its features table (image features, caption embedding as {@code target}: featurize with
     *                 {@code --target-embedding caption})
     * @param target   the clean target pairs' features, which the reference head is trained on
     * @param training the reference head's training (must be the CLIP head)
     * @return the number of rows written
     */
    public static long build(SparkSession spark, String sample, String features, String target, String output, int shards,
            TrainingOptions training, long seed, boolean overwrite) {
        if (!training.pairsFeaturesWithTargets()) {
            throw new IllegalArgumentException("sample-datacomp scores pairs with a reference CLIP head: give --model CLIP");
        }
        if (shards < 1) {
            throw new IllegalArgumentException("sample-datacomp --shards " + shards + " invalid; must be >= 1");
        }
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        OutputGuard.requireApart("sample-datacomp", Map.of("--output", output),
                Map.of("--sample", sample, "--pool", features, "--target", target), hadoop);
        AtomicOutput out = AtomicOutput.to(output, hadoop, overwrite);
        try (Progress progress = Progress.start(spark, "sample-datacomp")) {
            Dataset<Row> pool = TableSchemas.read(spark, Table.POOL, sample).select(col("uid"), col("text"), col("source"));
            Dataset<Row> feats = FeatureTables.checked(spark, features).select(col("uid"), col("features"), col("target"));
            progress.step("training the reference CLIP head on " + target + " and scoring every pair");
            AttributionSetup setup = new AttributionSetup(features, target, out.stagingPath().toString(), training,
                    SmoothingKnobs.defaults(), 0, 0, 1, 0, overwrite);
            Dataset<Row> rows;
            long n;
            try (SelectionScores scoring = SelectionScores.read(spark, setup)) {
                Dataset<Row> scores = scoring.of(spark, Method.CLIP_SCORE, seed, out.stagingPath().toString())
                        .join(scoring.pool().rows().select(col("row"), col("uid")), "row");
                rows = feats.join(pool, "uid").join(scores.select(col("uid"), col("score")), "uid")
                        .select(md5(col("uid")).as("dc_uid"), concat(lit("fashion-mnist://"), col("uid")).as("url"), col("text"),
                                col("score"), col("source"), col("features"), col("target"))
                        .orderBy("dc_uid");
                n = rows.count();
                if (n != scoring.pool().size()) {
                    throw new IllegalArgumentException("features table " + features + " has " + scoring.pool().size()
                            + " rows, but only " + n + " of them are in the pool table --sample " + sample);
                }
                progress.step("writing " + n + " rows as " + shards + " DataComp shard(s) to " + out.destination());
                writeShards(spark, rows.toLocalIterator(), n, shards, new Path(out.stagingPath()), hadoop);
            }
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("shards", shards);
            d.put("similarity", "cosine of image and caption in the joint space of a reference CLIP head trained on --target"
                    + " (select --method clip-score's score)");
            d.put("training", training.describe());
            d.put("seed", seed);
            d.put("arrays", Map.of("b32_img", "image features (the features column)", "b32_txt", "caption embedding (target)"));
            TableManifest.of("sample-datacomp", SHARDS_SCHEMA).params(d).inputs(List.of(sample, features, target)).rowCount(n)
                    .writeTo(out.stagingPath(), hadoop);
            out.commit();
            return n;
        } catch (Exception e) { // also SparkException, a checked exception Scala throws unchecked
            out.abort();
            throw e;
        }
    }

    /** Shard {@code k} holds rows {@code [k·⌈n/shards⌉, (k+1)·⌈n/shards⌉)} of the uid order. */
    private static void writeShards(SparkSession spark, Iterator<Row> rows, long n, int shards, Path dir, Configuration hadoop) {
        long per = (n + shards - 1) / shards;
        for (int k = 0; k < shards && rows.hasNext(); k++) {
            List<Row> metadata = new ArrayList<>();
            List<float[]> img = new ArrayList<>();
            List<float[]> txt = new ArrayList<>();
            while (metadata.size() < per && rows.hasNext()) {
                Row r = rows.next();
                metadata.add(RowFactory.create(r.getString(0), r.getString(1), r.getString(2), SIDE, SIDE, r.getDouble(3),
                        r.getString(4)));
                img.add(floats(r.getList(5)));
                txt.add(floats(r.getList(6)));
            }
            String stem = String.format("%08d", k);
            Path tmp = new Path(dir, "_tmp-" + stem);
            spark.createDataFrame(metadata, METADATA).coalesce(1).write().parquet(tmp.toString());
            try {
                FileSystem fs = dir.getFileSystem(hadoop);
                FileStatus[] parts = fs.globStatus(new Path(tmp, "part-*.parquet"));
                if (parts == null || parts.length != 1) {
                    throw new IllegalStateException("expected one Parquet part in " + tmp);
                }
                fs.rename(parts[0].getPath(), new Path(dir, stem + ".parquet"));
                fs.delete(tmp, true);
                Map<String, float[][]> arrays = new LinkedHashMap<>();
                arrays.put("b32_img", img.toArray(new float[0][]));
                arrays.put("b32_txt", txt.toArray(new float[0][]));
                try (OutputStream o = fs.create(new Path(dir, stem + ".npz"), false)) {
                    Float32Npz.write(arrays, o);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write shard " + stem + " under " + dir, e);
            }
        }
    }

    private static float[] floats(List<Object> values) {
        float[] f = new float[values.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = ((Number) values.get(i)).floatValue();
        }
        return f;
    }
}
