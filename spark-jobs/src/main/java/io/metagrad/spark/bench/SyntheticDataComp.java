package io.metagrad.spark.bench;

import io.metagrad.core.data.ItemKeys;
import io.metagrad.spark.io.AtomicOutput;
import io.metagrad.spark.io.FeatureTables;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.io.npy.Float32Npz;
import io.metagrad.spark.schema.Table;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;

/**
 * A seeded synthetic DataComp-shaped pool of any size, in DataComp's shard layout ({@code ingest --format datacomp}
 * reads it): {@code NNNNNNNN.parquet} with {@code uid} (32 hex digits), {@code url}, {@code text},
 * {@code original_width}, {@code original_height}, {@code clip_b32_similarity_score} and {@code caption_kind}, and
 * {@code NNNNNNNN.npz} with float32 arrays {@code b32_img} and {@code b32_txt}, row-aligned.
 *
 * <p>Every shard is written by one Spark task through the Hadoop FileSystem (nothing of pool size on the driver),
 * into the staging directory of one {@link AtomicOutput}. Each row is a function of {@code (seed, row)} alone, so the
 * bytes are the same on every run. The pool has structure for the filters and MGD to find: a row's class draws its
 * image embedding around the class centroid; 60 % of captions name the class ("clean"), 25 % name another class
 * ("wrong-caption", caption embedding around that class's centroid), 15 % of pairs are off-topic (an ad-like caption
 * around a centroid of its own, the image around one of two centroids near no class); some captions are one word,
 * some images too small or too elongated for DataComp's basic filter. Image and caption embeddings share one space (as CLIP's do), so the similarity score is their cosine.
 *
 * @param rows   pool rows
 * @param dim    embedding width of both arrays
 * @param shards shard files (one Spark task each)
 * @param seed   everything is a function of it
 */
public record SyntheticDataComp(long rows, int dim, int shards, long seed) implements Serializable {

    /** The class names: the class prompts are {@code a photo of a NAME.}; captions mention them. */
    public static final List<String> CLASSES = List.of("cat", "dog", "car", "tree", "boat", "bird", "house", "flower",
            "horse", "chair");
    /** Schema id of the shards directory's {@code _metagrad.json} (as {@code sample-datacomp}'s). */
    public static final String SHARDS_SCHEMA = "datacomp-shards/v1";
    private static final String[] TEMPLATES = {"a photo of a %s", "a small %s on a sunny day", "%s",
        "close-up of the %s near the window", "my %s, last summer"};
    private static final String[] OFF_TOPIC = {"quarterly earnings rose sharply", "click here to subscribe",
        "free shipping on all orders", "terms and conditions apply", "download the app now"};
    /** Off-topic images (ads, screenshots) lie around centroids of their own, none near a class. */
    private static final int JUNK_IMAGES = 2;
    private static final double IMAGE_NOISE = 0.5;
    private static final double CAPTION_NOISE = 0.4;
    private static final MessageType METADATA = MessageTypeParser.parseMessageType("message datacomp {"
            + " required binary uid (UTF8); required binary url (UTF8); required binary text (UTF8);"
            + " required int64 original_width; required int64 original_height;"
            + " required double clip_b32_similarity_score; required binary caption_kind (UTF8); }");

    public SyntheticDataComp {
        if (rows < 1 || dim < 1 || shards < 1 || shards > rows) {
            throw new IllegalArgumentException("synthetic DataComp pool: rows " + rows + ", dim " + dim + ", shards " + shards
                    + " invalid; need rows >= 1, dim >= 1, 1 <= shards <= rows");
        }
    }

    /** One generated row. */
    record Item(String uid, String url, String text, long width, long height, double score, String kind, float[] image,
            float[] caption, int label) {}

    /**
     * Writes the shards to {@code output}, committed at once; returns the rows written. Shard {@code k} holds rows
     * {@code [k·⌈rows/shards⌉, (k+1)·⌈rows/shards⌉)}.
     */
    public long writeShards(SparkSession spark, String output, boolean overwrite) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        AtomicOutput out = AtomicOutput.to(output, hadoop, overwrite);
        try {
            String staging = out.stagingPath();
            SerializableConfiguration conf = new SerializableConfiguration(hadoop);
            SyntheticDataComp pool = this;
            spark.range(0, shards, 1, shards).foreachPartition((ForeachPartitionFunction<Long>) ks -> {
                while (ks.hasNext()) {
                    pool.writeShard(ks.next().intValue(), new Path(staging), conf.value());
                }
            });
            TableManifest.of("bench datacomp", SHARDS_SCHEMA).params(describe()).rowCount(rows).writeTo(staging, hadoop);
            out.commit();
            return rows;
        } catch (Exception e) { // also SparkException, a checked exception Scala throws unchecked
            out.abort();
            throw e;
        }
    }

    /** The clean pairs of {@code perClass} items per class (ids after the pool's), as a features table (CLIP targets). */
    public long writeTargets(SparkSession spark, String output, int perClass, boolean overwrite) {
        float[][] centroids = centroids();
        List<Row> target = new ArrayList<>();
        for (int t = 0; t < perClass * CLASSES.size(); t++) {
            Item item = item(rows + t, t % CLASSES.size(), centroids);
            target.add(RowFactory.create(item.uid(), boxed(item.image()), item.label(), boxed(item.caption()), null, null, null,
                    "synthetic-datacomp"));
        }
        return FeatureTables.write(spark.createDataFrame(target, Table.FEATURES.schema()), output, overwrite,
                TableManifest.of("bench datacomp", Table.FEATURES).params(describe()));
    }

    /** The class prompts ({@code a photo of a NAME.}, embedded at the class centroid), committed at once. */
    public void writePrompts(SparkSession spark, String output, boolean overwrite) {
        float[][] centroids = centroids();
        List<Row> prompts = new ArrayList<>();
        for (int c = 0; c < CLASSES.size(); c++) {
            prompts.add(RowFactory.create(c, "a photo of a " + CLASSES.get(c) + ".", boxed(centroids[c])));
        }
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        AtomicOutput out = AtomicOutput.to(output, hadoop, overwrite);
        try {
            spark.createDataFrame(prompts, Table.CLASS_PROMPTS.schema()).coalesce(1).write().parquet(out.stagingPath());
            TableManifest.of("bench datacomp", Table.CLASS_PROMPTS).params(describe()).rowCount(prompts.size())
                    .writeTo(out.stagingPath(), hadoop);
            out.commit();
        } catch (Exception e) { // also SparkException, a checked exception Scala throws unchecked
            out.abort();
            throw e;
        }
    }

    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("generator", "synthetic DataComp-shaped pool (bench datacomp)");
        m.put("rows", rows);
        m.put("dim", dim);
        m.put("shards", shards);
        m.put("seed", seed);
        m.put("classes", CLASSES);
        m.put("caption_kinds", "60 % clean, 25 % wrong-caption, 15 % off-topic (image and caption off the classes)");
        m.put("similarity", "cosine of b32_img and b32_txt (one embedding space)");
        return m;
    }

    /** Writes shard {@code k}: its metadata Parquet and its {@code .npz}, both made from the same rows. */
    void writeShard(int k, Path dir, Configuration hadoop) throws IOException {
        long per = (rows + shards - 1) / shards;
        long first = k * per;
        int n = (int) Math.max(0, Math.min(rows, first + per) - first);
        float[][] centroids = centroids();
        String stem = String.format("%08d", k);
        float[][] image = new float[n][];
        float[][] caption = new float[n][];
        SimpleGroupFactory groups = new SimpleGroupFactory(METADATA);
        // a retried task rewrites its own files inside the staging directory
        try (ParquetWriter<Group> parquet = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(new Path(dir, stem + ".parquet"),
                hadoop)).withType(METADATA).withConf(hadoop).withCompressionCodec(CompressionCodecName.SNAPPY)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE).build()) {
            for (int i = 0; i < n; i++) {
                Item item = item(first + i, -1, centroids);
                parquet.write(groups.newGroup().append("uid", item.uid()).append("url", item.url()).append("text", item.text())
                        .append("original_width", item.width()).append("original_height", item.height())
                        .append("clip_b32_similarity_score", item.score()).append("caption_kind", item.kind()));
                image[i] = item.image();
                caption[i] = item.caption();
            }
        }
        Map<String, float[][]> arrays = new LinkedHashMap<>();
        arrays.put("b32_img", image);
        arrays.put("b32_txt", caption);
        FileSystem fs = dir.getFileSystem(hadoop);
        try (OutputStream o = fs.create(new Path(dir, stem + ".npz"), true)) {
            Float32Npz.write(arrays, o);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write shard " + stem + ".npz under " + dir, e);
        }
    }

    /**
     * Row {@code id}: a function of {@code (seed, id)} alone. {@code forcedClass >= 0} makes a clean pair of that class
     * with an ordinary image (the targets).
     */
    Item item(long id, int forcedClass, float[][] centroids) {
        SplittableRandom r = new SplittableRandom(ItemKeys.mix(seed * 0x9E3779B97F4A7C15L + id));
        int classes = CLASSES.size();
        int label = forcedClass >= 0 ? forcedClass : r.nextInt(classes);
        double u = r.nextDouble();
        String kind = forcedClass >= 0 || u < 0.60 ? "clean" : u < 0.85 ? "wrong-caption" : "off-topic";
        int shown = kind.equals("wrong-caption") ? (label + 1 + r.nextInt(classes - 1)) % classes : label;
        String text = kind.equals("off-topic") ? OFF_TOPIC[r.nextInt(OFF_TOPIC.length)]
                : String.format(TEMPLATES[r.nextInt(TEMPLATES.length)], CLASSES.get(shown));
        long[] size = size(r, forcedClass >= 0);
        boolean off = kind.equals("off-topic");
        float[] image = around(off ? centroids[classes + 1 + r.nextInt(JUNK_IMAGES)] : centroids[label], IMAGE_NOISE, r);
        float[] caption = around(off ? centroids[classes] : centroids[shown], CAPTION_NOISE, r);
        // the low half is a bijection of the row (mix is one), so uids are unique
        String uid = HexFormat.of().toHexDigits(ItemKeys.mix(seed ^ ItemKeys.mix(id))) + HexFormat.of().toHexDigits(
                ItemKeys.mix(id ^ 0x5DEECE66DL));
        return new Item(uid, "synthetic://" + seed + "/" + id, text, size[0], size[1], cosine(image, caption), kind, image,
                caption, label);
    }

    /** 75 % ordinary sizes (smaller side ≥ 200, aspect < 3), 15 % too small, 10 % panoramas (aspect ≥ 3). */
    private static long[] size(SplittableRandom r, boolean ordinary) {
        double u = ordinary ? 1 : r.nextDouble();
        if (u < 0.15) {
            return new long[] {32 + r.nextInt(168), 32 + r.nextInt(168)};
        }
        if (u < 0.25) {
            long h = 200 + r.nextInt(200);
            return new long[] {h * (3 + r.nextInt(3)), h};
        }
        long w = 200 + r.nextInt(825);
        return new long[] {w, Math.max(200, Math.round(w * (0.5 + r.nextDouble())))};
    }

    /** One centroid per class, one for off-topic captions, then the off-topic images'; entries uniform in [-1, 1). */
    float[][] centroids() {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] c = new float[CLASSES.size() + 1 + JUNK_IMAGES][dim];
        for (float[] row : c) {
            for (int j = 0; j < dim; j++) {
                row[j] = (float) (2 * r.nextDouble() - 1);
            }
        }
        return c;
    }

    private float[] around(float[] centre, double noise, SplittableRandom r) {
        float[] v = new float[dim];
        for (int j = 0; j < dim; j++) {
            v[j] = (float) (centre[j] + noise * gaussian(r));
        }
        return v;
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int j = 0; j < a.length; j++) {
            dot += (double) a[j] * b[j];
            na += (double) a[j] * a[j];
            nb += (double) b[j] * b[j];
        }
        return dot / Math.sqrt(na * nb);
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    private static List<Float> boxed(float[] v) {
        Float[] b = new Float[v.length];
        for (int j = 0; j < v.length; j++) {
            b[j] = v[j];
        }
        return Arrays.asList(b);
    }
}
