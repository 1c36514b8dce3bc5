package io.metagrad.spark.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * What a filesystem guarantees about renames, which decides how outputs are committed on it
 * ({@link AtomicFiles}, {@link AtomicOutput}).
 */
public enum Storage {

    /**
     * The local disk ({@code file://}): {@code rename(2)} replaces a file or moves a directory
     * atomically. Hadoop's checksummed wrapper is bypassed: its replace is delete-then-rename and
     * moves the {@code .crc} sidecar in a second step.
     */
    LOCAL,

    /** HDFS and the like: a rename (with overwrite, for files) is one atomic namespace operation. */
    RENAMING,

    /**
     * Object stores (s3a, gs, abfs, …): one PUT is atomic, but a rename is a copy and a delete per
     * object and directories are only name prefixes.
     */
    OBJECT_STORE;

    /** Hadoop setting: extra URI schemes to treat as object stores (comma-separated). */
    public static final String OBJECT_STORE_SCHEMES = "mgd.fs.object-store-schemes";

    private static final Set<String> KNOWN_OBJECT_STORES =
            Set.of("s3a", "s3", "s3n", "gs", "abfs", "abfss", "wasb", "wasbs", "oss", "cosn", "obs", "r2");

    /** How {@code fs} behaves. */
    public static Storage of(FileSystem fs, Configuration hadoop) {
        if (fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem && "file".equals(fs.getScheme())) {
            return LOCAL;
        }
        String scheme = fs.getUri().getScheme() == null ? "" : fs.getUri().getScheme().toLowerCase(Locale.ROOT);
        Set<String> extra = Arrays.stream(hadoop.get(OBJECT_STORE_SCHEMES, "").split(","))
                .map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        return KNOWN_OBJECT_STORES.contains(scheme) || extra.contains(scheme) ? OBJECT_STORE : RENAMING;
    }

    /** The filesystem of {@code path} and the path made absolute on it. */
    public static Located locate(String path, Configuration hadoop) {
        return locate(new Path(path), hadoop);
    }

    /** As {@link #locate(String, Configuration)}. */
    public static Located locate(Path path, Configuration hadoop) {
        try {
            FileSystem fs = path.getFileSystem(hadoop);
            return new Located(fs, fs.makeQualified(path), of(fs, hadoop));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the filesystem of " + path, e);
        }
    }

    /** A qualified path, its filesystem and how that filesystem commits. */
    public record Located(FileSystem fs, Path path, Storage storage) {

        /** The local file behind a {@link #LOCAL} path. */
        public java.nio.file.Path local() {
            return java.nio.file.Paths.get(path.toUri());
        }

        /** A sibling or child with the same filesystem. */
        public Located at(Path other) {
            return new Located(fs, fs.makeQualified(other), storage);
        }
    }
}
