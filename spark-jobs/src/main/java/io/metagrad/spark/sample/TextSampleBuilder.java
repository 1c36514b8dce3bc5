package io.metagrad.spark.sample;

import io.metagrad.spark.io.AtomicOutput;
import io.metagrad.spark.io.Json;
import io.metagrad.spark.io.TableManifest;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the Reuters text-selection data (docs/results-text.md) as JSONL for {@code mgd ingest}:
 * {@code pool/}, {@code target/} and {@code test/} with {@code uid, text, label, source}, plus
 * {@code build.json} with the recipe and the counts. Everything is staged in a sibling directory
 * and renamed into place, so a failure leaves no partial output.
 */
public final class TextSampleBuilder {

    private TextSampleBuilder() {}

    /** Builds the data; returns the rows per split. */
    public static Map<String, Integer> build(TextSampleParams p) {
        try {
            List<TextSamplePlan.Doc> train = docs(Path.of(p.train()));
            List<TextSamplePlan.Doc> test = docs(Path.of(p.test()));
            List<TextSamplePlan.Item> plan = TextSamplePlan.make(train, test, p);

            Path out = Path.of(p.output()).toAbsolutePath();
            org.apache.hadoop.conf.Configuration hadoop = new org.apache.hadoop.conf.Configuration();
            AtomicOutput committed = AtomicOutput.to(out.toString(), hadoop, p.overwrite()); // refuses what is not ours
            Path stage = Path.of(java.net.URI.create(committed.stagingPath().startsWith("file:") ? committed.stagingPath()
                    : "file://" + committed.stagingPath()));
            Files.createDirectories(stage);
            Map<String, Integer> rows = new LinkedHashMap<>();
            for (String split : List.of("pool", "target", "test")) {
                Files.createDirectories(stage.resolve(split));
                int n = 0;
                try (BufferedWriter w = Files.newBufferedWriter(stage.resolve(split).resolve("part-00000.jsonl"), StandardCharsets.UTF_8)) {
                    for (TextSamplePlan.Item item : plan) {
                        if (item.split().equals(split)) {
                            Map<String, Object> row = new LinkedHashMap<>();
                            row.put("uid", item.uid());
                            row.put("text", item.text());
                            row.put("label", item.label());
                            row.put("source", item.source());
                            w.write(Json.compact(row));
                            w.write('\n');
                            n++;
                        }
                    }
                }
                rows.put(split, n);
            }
            Files.writeString(stage.resolve("build.json"), Json.pretty(description(p, plan)) + "\n", StandardCharsets.UTF_8);
            TableManifest.of("sample-text", "text_sample/v1").params(p).put("rows", rows).writeTo(stage.toString(), hadoop);
            committed.commit();
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The documents of a Weka Reuters file: its string attribute and its 0/1 class attribute. */
    static List<TextSamplePlan.Doc> docs(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file + " (install Debian's weka: apt-get install -y weka)");
        }
        Arff.Data data = Arff.read(file);
        int text = -1;
        int label = -1;
        for (int a = 0; a < data.attributes().size(); a++) {
            List<String> values = data.attributes().get(a).nominalValues();
            if (values.isEmpty()) {
                text = a;
            } else if (values.equals(List.of("0", "1"))) {
                label = a;
            }
        }
        if (text < 0 || label < 0) {
            throw new IllegalArgumentException(file + ": expected a string attribute and a nominal {0,1} class attribute");
        }
        List<TextSamplePlan.Doc> docs = new ArrayList<>();
        for (String[] row : data.rows()) {
            docs.add(new TextSamplePlan.Doc(clean(row[text]), Integer.parseInt(row[label])));
        }
        return docs;
    }

    /** Undoes the SGML escapes left in the Reuters texts and drops the end-of-text control mark. */
    static String clean(String s) {
        return s.replace("&#3;", "").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip();
    }

    private static Map<String, Object> description(TextSampleParams p, List<TextSamplePlan.Item> plan) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("dataset", "Reuters-21578 ModApte 'grain' (Weka examples, Debian package weka); label 1 = grain");
        d.put("inputs", Map.of("train", p.train(), "test", p.test()));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("seed", p.seed());
        params.put("poolSize", p.poolSize());
        params.put("targetSize", p.targetSize());
        params.put("targetGrainShare", p.targetGrainShare());
        params.put("flipFraction", p.flipFraction());
        params.put("offDomainFraction", p.offDomainFraction());
        d.put("params", params);
        Map<String, Map<String, Integer>> counts = new TreeMap<>();
        for (TextSamplePlan.Item item : plan) {
            counts.computeIfAbsent(item.split(), k -> new TreeMap<>())
                    .merge(item.source() + " label=" + item.label(), 1, Integer::sum);
        }
        d.put("rows", counts);
        return d;
    }

}
