package io.metagrad.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real S3-compatible server on loopback: s3proxy with its in-memory ({@code transient}) backend, as its own
 * process on a free port, with AWS v2/v4 authentication and a fresh random secret per run.
 */
final class S3Server implements AutoCloseable {

    final String accessKey = "metagrad-test";
    final String secretKey = "mgdsecret" + UUID.randomUUID().toString().replace("-", "");
    final int port = Child.freePort();
    private final Child process;

    private S3Server(Path jar, Path dir) {
        try {
            Path props = Files.createDirectories(dir).resolve("s3proxy.properties");
            Files.writeString(props, String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + accessKey,
                    "s3proxy.credential=" + secretKey,
                    "jclouds.provider=transient",
                    "jclouds.identity=unused",
                    "jclouds.credential=unused", ""));
            process = Child.start("s3proxy", List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-jar", jar.toString(), "--properties", props.toString()), Map.of(), dir.resolve("s3proxy.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static S3Server start(Path jar, Path dir) {
        S3Server s = new S3Server(jar, dir);
        try {
            Child.await("s3proxy on port " + s.port, Duration.ofSeconds(60), () -> {
                if (!s.process.alive()) {
                    throw new IllegalStateException("s3proxy exited:\n" + s.process.tail());
                }
                return Child.listening(s.port);
            });
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** The s3a settings of a job: endpoint and path-style access; credentials only where {@code withKeys}. */
    Map<String, String> s3aConf(boolean withKeys) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("spark.hadoop.fs.s3a.endpoint", endpoint());
        c.put("spark.hadoop.fs.s3a.path.style.access", "true");
        c.put("spark.hadoop.fs.s3a.connection.ssl.enabled", "false");
        if (withKeys) {
            c.put("spark.hadoop.fs.s3a.access.key", accessKey);
            c.put("spark.hadoop.fs.s3a.secret.key", secretKey);
        }
        return c;
    }

    /** Creates a bucket (s3a cannot): one PUT signed with AWS signature v2. */
    void createBucket(String bucket) {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
        String signature;
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            signature = Base64.getEncoder().encodeToString(
                    mac.doFinal(("PUT\n\n\n" + date + "\n/" + bucket).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        HttpRequest put = HttpRequest.newBuilder(URI.create(endpoint() + "/" + bucket)).timeout(Duration.ofSeconds(30))
                .header("Date", date).header("Authorization", "AWS " + accessKey + ":" + signature)
                .PUT(HttpRequest.BodyPublishers.noBody()).build();
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(put, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("create bucket " + bucket + ": HTTP " + r.statusCode() + " " + r.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Path log() {
        return process.log();
    }

    @Override
    public void close() {
        process.close();
    }
}
