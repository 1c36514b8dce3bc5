package io.metagrad.spark.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.metagrad.spark.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A learning-rate schedule as a file ({@code lr_schedule/v1}): the rate of every training step, and
 * optionally the weight decay it was tuned with. {@code mgd tune-lr} writes one; every training job
 * reads it with {@code --lr-schedule file:PATH.json}.
 * <pre>{"schema": "lr_schedule/v1", "steps": T, "rates": [r_0, …, r_{T-1}], "weight_decay": λ (optional), …}</pre>
 */
public final class ScheduleFile {

    public static final String SCHEMA = "lr_schedule/v1";
    /** The {@code --lr-schedule} prefix that names a schedule file. */
    public static final String PREFIX = "file:";

    /** A schedule read from a file. */
    public record Contents(double[] rates, Double weightDecay) {}

    private ScheduleFile() {}

    /** The JSON text of a schedule; {@code weightDecay} may be null, {@code extra} adds provenance fields. */
    public static String json(double[] rates, Double weightDecay, Map<String, Object> extra) {
        Map<String, Object> m = new LinkedHashMap<>(extra);
        m.put("schema", SCHEMA);
        m.put("steps", rates.length);
        m.put("rates", rates);
        if (weightDecay != null) {
            m.put("weight_decay", weightDecay);
        }
        return Json.pretty(m) + "\n";
    }

    /**
     * Reads the file named by an {@code --lr-schedule file:PATH.json} value ({@code file:/abs/path},
     * {@code file:relative/path} or a {@code file:///} URI).
     */
    public static Contents read(String value) {
        String rest = value.substring(PREFIX.length());
        Path file = rest.startsWith("//") ? Path.of(URI.create(value)) : Path.of(rest);
        if (!Files.isRegularFile(file)) {
            throw new UncheckedIOException(new java.nio.file.NoSuchFileException("--lr-schedule: no schedule file at " + file));
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("--lr-schedule: cannot read " + file, e);
        }
        return parse(text, file.toString());
    }

    /** Parses schedule JSON; {@code where} names the file in errors. */
    static Contents parse(String text, String where) {
        JsonObject o;
        try {
            JsonElement e = Json.parse(text);
            if (!e.isJsonObject()) {
                throw new IllegalArgumentException("--lr-schedule " + where + " is not a JSON object");
            }
            o = e.getAsJsonObject();
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException) {
                throw e;
            }
            // no cause attached: the exit code follows the innermost cause, and this is bad input (2)
            throw new IllegalArgumentException("--lr-schedule " + where + " is not valid JSON: " + e.getMessage());
        }
        if (!o.has("schema") || !SCHEMA.equals(o.get("schema").getAsString())) {
            throw new IllegalArgumentException("--lr-schedule " + where + ": field 'schema' must be " + SCHEMA);
        }
        if (!o.has("rates") || !o.get("rates").isJsonArray()) {
            throw new IllegalArgumentException("--lr-schedule " + where + ": field 'rates' must be an array of numbers");
        }
        JsonArray a = o.getAsJsonArray("rates");
        double[] rates = new double[a.size()];
        for (int t = 0; t < rates.length; t++) {
            JsonElement v = a.get(t);
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber() || !(v.getAsDouble() > 0) || !Double.isFinite(v.getAsDouble())) {
                throw new IllegalArgumentException("--lr-schedule " + where + ": field 'rates' entry " + t + " = " + v
                        + " invalid; every rate must be a number > 0");
            }
            rates[t] = v.getAsDouble();
        }
        if (o.has("steps") && o.get("steps").getAsInt() != rates.length) {
            throw new IllegalArgumentException("--lr-schedule " + where + ": field 'steps' = " + o.get("steps")
                    + " but 'rates' has " + rates.length + " entries");
        }
        Double wd = o.has("weight_decay") ? o.get("weight_decay").getAsDouble() : null;
        return new Contents(rates, wd);
    }

    /** A SHA-256 of the rates' bits: identifies an explicit schedule in manifests and resume checks. */
    static String sha256(double[] rates) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            ByteBuffer b = ByteBuffer.allocate(8 * rates.length);
            for (double r : rates) {
                b.putDouble(r);
            }
            return HexFormat.of().formatHex(d.digest(b.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
