package io.metagrad.spark.sample;

import io.metagrad.spark.Progress;
import io.metagrad.spark.featurize.MiniLmEncoder;
import io.metagrad.spark.ingest.IngestJob;
import io.metagrad.spark.ingest.IngestParams;
import io.metagrad.spark.ingest.InputFormat;
import io.metagrad.spark.io.AtomicOutput;
import io.metagrad.spark.io.Json;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.schema.Table;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Builds the CLIP-style sample from Fashion-MNIST: image–caption pool, target and test tables
 * (pool tables made by {@code mgd ingest}, with the caption in {@code text} and its MiniLM
 * embedding in {@code emb_caption}), a class-prompts table with embedded zero-shot prompts, and
 * {@code build.json}. The rows are a deterministic function of the input files and the parameters.
 */
public final class ClipSampleBuilder {

    /** Name of the caption embedding: the pool column is {@code emb_caption}. */
    public static final String EMBEDDING = "caption";
    private static final StructType RAW = new StructType().add("uid", DataTypes.StringType, false)
            .add("pixels", DataTypes.createArrayType(DataTypes.FloatType, false)).add("label", DataTypes.IntegerType)
            .add("source", DataTypes.StringType).add("text", DataTypes.StringType)
            .add("emb_" + EMBEDDING, DataTypes.createArrayType(DataTypes.FloatType, false));

    private ClipSampleBuilder() {}

    /** Builds the sample; returns the rows per table. */
    public static Map<String, Long> build(SparkSession spark, ClipSampleParams p) {
        Path in = Path.of(p.fashionMnist());
        Path out = Path.of(p.output());
        try (Progress progress = Progress.start(spark, "sample-clip")) {
            for (String f : SampleBuilder.FILES) {
                if (!Files.isRegularFile(in.resolve(f))) {
                    throw new UncheckedIOException(new NoSuchFileException(in.resolve(f) + " (install Debian's dataset-fashion-mnist)"));
                }
            }
            progress.step("reading Fashion-MNIST from " + in);
            Idx.Images trainImages = Idx.images(in.resolve(SampleBuilder.FILES[0]));
            Idx.Images testImages = Idx.images(in.resolve(SampleBuilder.FILES[2]));
            List<ClipSamplePlan.Item> plan = ClipSamplePlan.make(Idx.labels(in.resolve(SampleBuilder.FILES[1])),
                    Idx.labels(in.resolve(SampleBuilder.FILES[3])), p);
            progress.step("embedding the captions with MiniLM");
            Map<String, float[]> embeddings = embed(plan);

            Files.createDirectories(out);
            Path raw = Files.createTempDirectory("metagrad-sample-clip-");
            Map<String, Long> rows = new LinkedHashMap<>();
            Map<String, Integer> shards = Map.of("pool", 4, "target", 1, "test", 2);
            for (String split : List.of("pool", "target", "test")) {
                List<Row> data = new ArrayList<>();
                for (ClipSamplePlan.Item item : plan) {
                    if (item.split().equals(split)) {
                        Idx.Images images = item.fromTest() ? testImages : trainImages;
                        data.add(RowFactory.create(item.uid(), SampleBuilder.boxed(images.pixels(item.image())), item.label(),
                                item.source(), item.text(), SampleBuilder.boxed(embeddings.get(item.text()))));
                    }
                }
                String rawSplit = raw.resolve(split).toString();
                spark.createDataFrame(data, RAW).coalesce(1).write().parquet(rawSplit);
                progress.step("ingesting " + data.size() + " " + split + " rows");
                rows.put(split, IngestJob.run(spark, IngestParams.of(List.of(rawSplit), out.resolve(split).toString())
                        .withFormat(InputFormat.PARQUET).withShards(shards.get(split)).withOverwrite(p.overwrite())
                        .withRequire(Set.of("label", "pixels", "source", "text", "emb_" + EMBEDDING))).rows());
            }
            rows.put("prompts", writePrompts(spark, p, out.resolve("prompts").toString()));
            Files.writeString(out.resolve("build.json"), Json.pretty(description(p, plan, in)) + "\n", StandardCharsets.UTF_8);
            SampleBuilder.deleteRecursively(raw);
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each distinct caption once (the templates repeat), one text per network run. */
    private static Map<String, float[]> embed(List<ClipSamplePlan.Item> plan) {
        List<String> texts = new ArrayList<>(new TreeSet<>(plan.stream().map(ClipSamplePlan.Item::text).toList()));
        float[][] vectors = MiniLmEncoder.shared().encode(texts);
        Map<String, float[]> out = new TreeMap<>();
        for (int i = 0; i < texts.size(); i++) {
            out.put(texts.get(i), vectors[i]);
        }
        return out;
    }

    /** The class-prompts table: "a photo of a {class}" per class, embedded like the captions. */
    private static long writePrompts(SparkSession spark, ClipSampleParams p, String path) {
        List<String> prompts = new ArrayList<>();
        for (int c = 0; c < ClipSamplePlan.CLASSES; c++) {
            prompts.add(Captions.prompt(c));
        }
        float[][] vectors = MiniLmEncoder.shared().encode(prompts);
        List<Row> rows = new ArrayList<>();
        for (int c = 0; c < prompts.size(); c++) {
            rows.add(RowFactory.create(c, prompts.get(c), SampleBuilder.boxed(vectors[c])));
        }
        var hadoop = spark.sparkContext().hadoopConfiguration();
        AtomicOutput output = AtomicOutput.to(path, hadoop, p.overwrite());
        try {
            spark.createDataFrame(rows, Table.CLASS_PROMPTS.schema()).coalesce(1).write().parquet(output.stagingPath());
            TableManifest.of("sample-clip", Table.CLASS_PROMPTS).params(p).rowCount(rows.size())
                    .put("encoder", MiniLmEncoder.MODEL_VERSION).writeTo(output.stagingPath(), hadoop);
            output.commit();
            return rows.size();
        } catch (Exception e) { // also SparkException, a checked exception Scala throws unchecked
            output.abort();
            throw e;
        }
    }

    private static Map<String, Object> description(ClipSampleParams p, List<ClipSamplePlan.Item> plan, Path in) throws IOException {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("dataset", "Fashion-MNIST (Zalando Research, MIT licence), Debian package dataset-fashion-mnist");
        d.put("params", p);
        d.put("caption_encoder", MiniLmEncoder.MODEL_VERSION);
        d.put("caption_templates", Captions.TEMPLATES);
        d.put("off_topic_captions", Captions.OFF_TOPIC);
        Map<String, Map<String, Integer>> counts = new TreeMap<>();
        for (ClipSamplePlan.Item item : plan) {
            counts.computeIfAbsent(item.split(), k -> new TreeMap<>()).merge(item.source(), 1, Integer::sum);
        }
        d.put("rows", counts);
        Map<String, String> sha = new LinkedHashMap<>();
        for (String f : SampleBuilder.FILES) {
            sha.put(f, SampleBuilder.sha256(in.resolve(f)));
        }
        d.put("inputs_sha256", sha);
        return d;
    }
}
