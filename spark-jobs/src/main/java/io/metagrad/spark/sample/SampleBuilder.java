package io.metagrad.spark.sample;

import io.metagrad.spark.Progress;
import io.metagrad.spark.ingest.IngestJob;
import io.metagrad.spark.ingest.IngestParams;
import io.metagrad.spark.ingest.InputFormat;
import io.metagrad.spark.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Builds the shipped sample from Fashion-MNIST: a noisy candidate pool, a clean target split
 * and a test split, each a pool table made by {@code mgd ingest} (so it is validated and has a
 * manifest), plus {@code build.json} with the recipe, the counts and the inputs' SHA-256.
 * The rows are a deterministic function of the input files and the parameters.
 */
public final class SampleBuilder {

    static final String[] FILES = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};
    static final String[] CLASS_NAMES = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
        "Sneaker", "Bag", "Ankle boot"};
    private static final StructType RAW = new StructType().add("uid", DataTypes.StringType, false)
            .add("pixels", DataTypes.createArrayType(DataTypes.FloatType, false)).add("label", DataTypes.IntegerType)
            .add("source", DataTypes.StringType);

    private SampleBuilder() {}

    /** Builds the sample; returns the rows per split. */
    public static Map<String, Long> build(SparkSession spark, SampleParams p) {
        Path in = Path.of(p.fashionMnist());
        Path out = Path.of(p.output());
        try (Progress progress = Progress.start(spark, "sample")) {
            for (String f : FILES) {
                if (!Files.isRegularFile(in.resolve(f))) {
                    throw new UncheckedIOException(new NoSuchFileException(in.resolve(f) + " (install Debian's dataset-fashion-mnist)"));
                }
            }
            progress.step("reading Fashion-MNIST from " + in);
            Idx.Images trainImages = Idx.images(in.resolve(FILES[0]));
            int[] trainLabels = Idx.labels(in.resolve(FILES[1]));
            Idx.Images testImages = Idx.images(in.resolve(FILES[2]));
            int[] testLabels = Idx.labels(in.resolve(FILES[3]));
            List<SamplePlan.Item> plan = SamplePlan.make(trainLabels, testLabels, p);

            Files.createDirectories(out);
            Path raw = Files.createTempDirectory("metagrad-sample-");
            Map<String, Long> rows = new LinkedHashMap<>();
            Map<String, Integer> shards = Map.of("pool", 4, "target", 1, "test", 2);
            for (String split : List.of("pool", "target", "test")) {
                List<Row> data = new ArrayList<>();
                for (SamplePlan.Item item : plan) {
                    if (item.split().equals(split)) {
                        Idx.Images images = item.fromTest() ? testImages : trainImages;
                        data.add(RowFactory.create(item.uid(), boxed(images.pixels(item.image())), item.label(), item.source()));
                    }
                }
                String rawSplit = raw.resolve(split).toString();
                spark.createDataFrame(data, RAW).coalesce(1).write().parquet(rawSplit);
                progress.step("ingesting " + data.size() + " " + split + " rows");
                rows.put(split, IngestJob.run(spark, IngestParams.of(List.of(rawSplit), out.resolve(split).toString())
                        .withFormat(InputFormat.PARQUET).withShards(shards.get(split)).withOverwrite(p.overwrite())
                        .withRequire(java.util.Set.of("label", "pixels", "source"))).rows());
            }
            Files.writeString(out.resolve("build.json"), Json.pretty(description(p, plan, in)) + "\n", StandardCharsets.UTF_8);
            deleteRecursively(raw);
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> description(SampleParams p, List<SamplePlan.Item> plan, Path in) throws IOException {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("dataset", "Fashion-MNIST (Zalando Research, MIT licence), Debian package dataset-fashion-mnist");
        d.put("params", Map.of("seed", p.seed(), "poolSize", p.poolSize(), "offClassFraction", p.offClassFraction(),
                "duplicateFraction", p.duplicateFraction(), "flipFraction", p.flipFraction(),
                "targetPerClass", p.targetPerClass(), "testPerClass", p.testPerClass()));
        Map<String, String> classes = new LinkedHashMap<>();
        for (int c = 0; c < CLASS_NAMES.length; c++) {
            classes.put(String.valueOf(c), CLASS_NAMES[c] + (c < SampleParams.TASK_CLASSES ? "" : " (held out: off-class noise only)"));
        }
        d.put("classes", classes);
        Map<String, Map<String, Integer>> counts = new TreeMap<>();
        for (SamplePlan.Item item : plan) {
            counts.computeIfAbsent(item.split(), k -> new TreeMap<>()).merge(item.source(), 1, Integer::sum);
        }
        d.put("rows", counts);
        Map<String, String> sha = new LinkedHashMap<>();
        for (String f : FILES) {
            sha.put(f, sha256(in.resolve(f)));
        }
        d.put("inputs_sha256", sha);
        return d;
    }

    static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Float> boxed(float[] v) {
        List<Float> out = new ArrayList<>(v.length);
        for (float x : v) {
            out.add(x);
        }
        return out;
    }

    static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
