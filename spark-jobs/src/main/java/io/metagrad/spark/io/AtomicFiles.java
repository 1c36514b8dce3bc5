package io.metagrad.spark.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * The one way metagrad writes a small file (run state, metrics, manifests, summaries, reports):
 * whole, and replacing the previous version atomically, so that whatever moment the writer is
 * killed at, a reader finds the old bytes or the new ones, never neither and never a mix.
 * <ul>
 *   <li>local disk: a hidden temporary in the same directory, forced to disk, then {@code rename(2)}
 *       over the old file, then the directory forced. Hadoop's checksummed local filesystem is not
 *       used (its replace is delete-then-rename and moves the {@code .crc} in a second step); a
 *       {@code .crc} sidecar an older writer left is removed, and reads never verify one;</li>
 *   <li>HDFS-like stores: a hidden temporary, then a rename with overwrite (one namespace operation);</li>
 *   <li>object stores: a single PUT of the whole object, which readers see all at once (there a rename
 *       would be a copy).</li>
 * </ul>
 * Temporaries a killed writer left are removed by the next write of the same file.
 */
public final class AtomicFiles {

    private AtomicFiles() {}

    /** Writes {@code text} (UTF-8) to {@code file}, replacing it atomically. */
    public static void writeText(String file, String text, Configuration hadoop) {
        write(new Path(file), text.getBytes(StandardCharsets.UTF_8), hadoop);
    }

    /** Writes {@code bytes} to {@code file}, replacing it atomically. */
    public static void write(String file, byte[] bytes, Configuration hadoop) {
        write(new Path(file), bytes, hadoop);
    }

    /** Writes {@code bytes} to {@code file}, replacing it atomically. */
    public static void write(Path file, byte[] bytes, Configuration hadoop) {
        Storage.Located at = Storage.locate(file, hadoop);
        try {
            switch (at.storage()) {
                case LOCAL -> writeLocal(at.local(), bytes);
                case RENAMING -> writeRenaming(at, bytes, hadoop);
                case OBJECT_STORE -> writeObject(at, bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + at.path(), e);
        }
    }

    /** The file's text (UTF-8), or empty when it does not exist. */
    public static Optional<String> readText(String file, Configuration hadoop) {
        return read(new Path(file), hadoop).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    /** The file's bytes, or empty when it does not exist. */
    public static Optional<byte[]> read(Path file, Configuration hadoop) {
        Storage.Located at = Storage.locate(file, hadoop);
        try {
            if (at.storage() == Storage.LOCAL) {
                return Optional.of(Files.readAllBytes(at.local()));
            }
            try (InputStream in = at.fs().open(at.path())) {
                return Optional.of(in.readAllBytes());
            }
        } catch (NoSuchFileException | FileNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + at.path(), e);
        }
    }

    /** Whether {@code file} exists (as a file). */
    public static boolean exists(Path file, Configuration hadoop) {
        Storage.Located at = Storage.locate(file, hadoop);
        try {
            return at.storage() == Storage.LOCAL ? Files.isRegularFile(at.local()) : at.fs().isFile(at.path());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + at.path(), e);
        }
    }

    /** Deletes {@code file} (and a local {@code .crc} sidecar) if it exists. */
    public static void delete(Path file, Configuration hadoop) {
        Storage.Located at = Storage.locate(file, hadoop);
        try {
            if (at.storage() == Storage.LOCAL) {
                Files.deleteIfExists(at.local());
                Files.deleteIfExists(sidecar(at.local()));
                forceDirectory(at.local().getParent());
            } else {
                at.fs().delete(at.path(), false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + at.path(), e);
        }
    }

    private static void writeLocal(java.nio.file.Path file, byte[] bytes) throws IOException {
        java.nio.file.Path dir = file.getParent();
        Files.createDirectories(dir);
        java.nio.file.Path temp = dir.resolve(tempName(file.getFileName().toString()));
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        CommitFaults.at("file.temp-written");
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(dir);
        CommitFaults.at("file.replaced");
        Files.deleteIfExists(sidecar(file)); // a checksum of an older version would fail a checksummed read
        removeTemporaries(dir, file.getFileName().toString());
    }

    private static void writeRenaming(Storage.Located at, byte[] bytes, Configuration hadoop) throws IOException {
        Path file = at.path();
        Path temp = new Path(file.getParent(), tempName(file.getName()));
        at.fs().mkdirs(file.getParent());
        try (OutputStream o = at.fs().create(temp, false)) {
            o.write(bytes);
        }
        CommitFaults.at("file.temp-written");
        FileContext.getFileContext(file.toUri(), hadoop).rename(temp, file, Options.Rename.OVERWRITE);
        CommitFaults.at("file.replaced");
        for (var stale : at.fs().globStatus(new Path(file.getParent(), "." + file.getName() + ".tmp-*"))) {
            at.fs().delete(stale.getPath(), false);
        }
    }

    private static void writeObject(Storage.Located at, byte[] bytes) throws IOException {
        try (OutputStream o = at.fs().create(at.path(), true)) { // the object appears whole when the upload completes
            o.write(bytes);
        }
        CommitFaults.at("file.replaced");
    }

    private static String tempName(String name) {
        return "." + name + ".tmp-" + UUID.randomUUID();
    }

    private static java.nio.file.Path sidecar(java.nio.file.Path file) {
        return file.resolveSibling("." + file.getFileName() + ".crc");
    }

    private static void removeTemporaries(java.nio.file.Path dir, String name) throws IOException {
        try (DirectoryStream<java.nio.file.Path> stale = Files.newDirectoryStream(dir, "." + name + ".tmp-*")) {
            for (java.nio.file.Path p : stale) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Makes a rename in {@code dir} durable (Linux allows fsync on a directory opened for reading). */
    static void forceDirectory(java.nio.file.Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // not every platform can sync a directory; the rename itself is still atomic
        }
    }
}
