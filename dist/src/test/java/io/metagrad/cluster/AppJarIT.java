package io.metagrad.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the deployable jar holds: the jobs and everything they need that a Spark distribution does not ship,
 * nothing that it does (so nothing can clash with the cluster's classes), gson and picocli relocated, and an AWS
 * SDK trimmed to a closed set of classes.
 */
class AppJarIT {

    private static Set<String> entries;
    private static Path jar;

    @BeforeAll
    static void read() throws IOException {
        jar = Path.of(System.getProperty("mgd.app.jar"));
        entries = new HashSet<>();
        try (ZipFile z = new ZipFile(jar.toFile())) {
            z.stream().map(ZipEntry::getName).forEach(entries::add);
        }
    }

    @Test
    void holdsTheJobsTheNativesAndTheConnectors() {
        for (String e : List.of("io/metagrad/spark/select/SelectJob.class", "io/metagrad/spark/curate/CurateJob.class",
                "io/metagrad/core/mgd/Metagradients.class", "data-schemas/v1/pool.json",
                "native/lib/pytorch.properties", "pytorch/cpu/linux-x86_64/libtorch_cpu.so",
                "jnilib/linux-x86_64/cpu/libdjl_torch.so", "ai/onnxruntime/native/linux-x64/libonnxruntime.so",
                "org/apache/hadoop/fs/s3a/S3AFileSystem.class", "com/amazonaws/services/s3/AmazonS3Client.class",
                "org/apache/iceberg/spark/SparkCatalog.class",
                "org/apache/iceberg/spark/extensions/IcebergSparkSessionExtensions.class")) {
            assertTrue(entries.contains(e), "jar holds " + e);
        }
        assertTrue(entries.stream().noneMatch(e -> e.startsWith("ai/onnxruntime/native/win-") || e.startsWith("ai/onnxruntime/native/osx-")),
                "only the linux-x86_64 natives");
        assertTrue(entries.stream().noneMatch(e -> e.startsWith("models/") || e.startsWith("com/amazonaws/services/ec2/")),
                "the SDK's unused service clients and models are left out");
    }

    @Test
    void relocatesGsonAndPicocli() {
        assertTrue(entries.contains("io/metagrad/shaded/gson/Gson.class"));
        assertTrue(entries.contains("io/metagrad/shaded/picocli/CommandLine.class"));
        assertTrue(entries.stream().noneMatch(e -> e.startsWith("com/google/gson/") || e.startsWith("picocli/")));
    }

    @Test
    void shipsNoClassThatSparksOwnJarsHold() throws IOException {
        Set<String> spark = new HashSet<>();
        for (String j : Files.readString(Path.of(System.getProperty("mgd.spark.dist.classpath"))).strip().split(":")) {
            try (ZipFile z = new ZipFile(j)) {
                z.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".class") && !n.contains("module-info")).forEach(spark::add);
            }
        }
        assertTrue(spark.size() > 50_000, "read Spark's classes: " + spark.size());
        Set<String> clash = new TreeSet<>();
        for (String e : entries) {
            if (e.endsWith(".class") && spark.contains(e) && !e.startsWith("META-INF/versions/")) {
                clash.add(e);
            }
        }
        assertEquals(Set.of(), clash.size() > 20 ? new TreeSet<>(new ArrayList<>(clash).subList(0, 20)) : clash,
                clash.size() + " classes in both the app jar and Spark's distribution");
    }

    /**
     * Every class of the full AWS SDK bundle that the jar's S3A and SDK classes name is in the jar: trimming the
     * bundle to five service clients removed nothing they use.
     */
    @Test
    void theTrimmedAwsSdkIsClosedUnderReferences() throws IOException {
        Set<String> bundle = new HashSet<>();
        try (ZipFile z = new ZipFile(System.getProperty("mgd.aws.bundle"))) {
            z.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".class")).forEach(bundle::add);
        }
        Set<String> missing = new TreeSet<>();
        int checked = 0;
        try (ZipFile z = new ZipFile(jar.toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                String n = e.getName();
                if (n.endsWith(".class") && (n.startsWith("com/amazonaws/") || n.startsWith("org/apache/hadoop/fs/s3a/"))) {
                    checked++;
                    try (InputStream in = z.getInputStream(e)) {
                        for (String ref : classReferences(in)) {
                            if (bundle.contains(ref + ".class") && !entries.contains(ref + ".class")) {
                                missing.add(ref + " (from " + n + ")");
                            }
                        }
                    }
                }
            }
        }
        assertTrue(checked > 5000, "checked " + checked + " classes");
        assertEquals(Set.of(), missing.size() > 20 ? new TreeSet<>(new ArrayList<>(missing).subList(0, 20)) : missing,
                missing.size() + " referenced SDK classes are not in the jar");
    }

    /** The class names in a class file's constant pool (CONSTANT_Class entries, arrays unwrapped). */
    static Set<String> classReferences(InputStream classFile) throws IOException {
        DataInputStream in = new DataInputStream(classFile);
        in.readInt();
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        List<Integer> classes = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 7 -> classes.add(in.readUnsignedShort());
                case 8, 16, 19, 20 -> in.readUnsignedShort();
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++;
                }
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                default -> throw new IOException("constant pool tag " + tag);
            }
        }
        Set<String> out = new TreeSet<>();
        for (int c : classes) {
            String name = utf8[c].replaceAll("^\\[+L?", "").replaceAll(";$", "");
            if (name.length() > 1) {
                out.add(name);
            }
        }
        return out;
    }
}
