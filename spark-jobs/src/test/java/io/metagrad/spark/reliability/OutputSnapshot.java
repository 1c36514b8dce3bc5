package io.metagrad.spark.reliability;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What an output directory holds, in a form two runs can be compared by: every Parquet table as its
 * sorted rows (part-file names are random), every JSON / JSON-lines file parsed with the keys that
 * hold times removed, every other file as its bytes' digest. Paths of the output itself (and the
 * hidden staging path a job wrote it under) read {@code <OUT>}, so outputs in different places
 * compare. Checksum sidecars and Spark's {@code _SUCCESS} markers are left out; any other hidden
 * name inside (a temporary or staging directory left behind) is listed, so it makes snapshots differ.
 */
public final class OutputSnapshot {

    /** Keys whose values are clock readings or durations. */
    public static final Set<String> TIMES = Set.of("created_utc", "finished_utc", "seconds", "metagrad_seconds", "score_seconds",
            "mean_seconds_per_step", "seconds_per_step", "task_seconds", "eval_seconds");

    private OutputSnapshot() {}

    /**
     * @param skip file names whose content is not compared (only their presence), e.g. Markdown tables with timings
     */
    public static Map<String, Object> of(SparkSession spark, Path out, Set<String> skip) throws IOException {
        Map<String, Object> snapshot = new TreeMap<>();
        String root = out.toAbsolutePath().toString();
        List<Path> all;
        try (Stream<Path> walk = Files.walk(out)) {
            all = walk.sorted().toList();
        }
        List<String> leftovers = new ArrayList<>();
        for (Path p : all) {
            String rel = out.relativize(p).toString();
            String name = p.getFileName().toString();
            if (name.startsWith(".") && !name.endsWith(".crc")) {
                leftovers.add(rel);
                continue;
            }
            if (rel.contains("/.") || name.endsWith(".crc") || name.equals("_SUCCESS") || rel.isEmpty()) {
                continue;
            }
            if (Files.isDirectory(p)) {
                if (isTable(p)) {
                    List<String> rows = new ArrayList<>();
                    for (Row r : spark.read().parquet(p.toString()).collectAsList()) {
                        rows.add(r.toString());
                    }
                    rows.sort(null);
                    snapshot.put(rel + "/", rows);
                }
                continue;
            }
            if (name.endsWith(".parquet")) {
                continue; // part of its table
            }
            if (skip.contains(name)) {
                snapshot.put(rel, "(present)");
            } else if (name.endsWith(".json")) {
                snapshot.put(rel, withoutTimes(JsonParser.parseString(text(p, root))).toString());
            } else if (name.endsWith(".jsonl")) {
                List<String> lines = new ArrayList<>();
                for (String line : text(p, root).split("\n")) {
                    if (!line.isBlank()) {
                        lines.add(withoutTimes(JsonParser.parseString(line)).toString());
                    }
                }
                snapshot.put(rel, lines);
            } else {
                snapshot.put(rel, HexFormat.of().formatHex(sha256(Files.readAllBytes(p))));
            }
        }
        snapshot.put("(hidden names)", leftovers);
        return snapshot;
    }

    private static boolean isTable(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(f -> f.getFileName().toString().endsWith(".parquet"));
        }
    }

    /** The file's text with the output's path, and the staging path it was written under, as {@code <OUT>}. */
    private static String text(Path p, String root) throws IOException {
        String t = Files.readString(p, StandardCharsets.UTF_8);
        Path r = Path.of(root);
        String staging = java.util.regex.Pattern.quote(r.getParent() + "/." + r.getFileName() + ".staging-") + "[^/\"]+";
        t = t.replaceAll("(file:)?" + staging, "<OUT>");
        return t.replace("file:" + root, "<OUT>").replace(root, "<OUT>");
    }

    private static JsonElement withoutTimes(JsonElement e) {
        if (e.isJsonObject()) {
            JsonObject out = new JsonObject();
            new TreeMap<>(e.getAsJsonObject().asMap()).forEach((k, v) -> {
                if (!TIMES.contains(k)) {
                    out.add(k, withoutTimes(v));
                }
            });
            return out;
        }
        if (e.isJsonArray()) {
            JsonArray out = new JsonArray();
            e.getAsJsonArray().forEach(x -> out.add(withoutTimes(x)));
            return out;
        }
        return e;
    }

    private static byte[] sha256(byte[] b) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
