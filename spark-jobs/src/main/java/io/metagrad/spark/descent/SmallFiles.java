package io.metagrad.spark.descent;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * The one place the poison and tune-lr jobs write small files (state, metrics, iterates, reports):
 * whole, to a hidden temporary name beside the file, then renamed over it, so that a reader — or a
 * resumed run after {@code kill -9} — sees either the old file or the new one, never a part.
 */
public final class SmallFiles {

    private SmallFiles() {}

    /** Writes {@code bytes} as {@code file}, replacing it atomically. */
    public static void write(Path file, byte[] bytes, Configuration hadoop) {
        Path temp = new Path(file.getParent(), "." + file.getName() + ".tmp-" + UUID.randomUUID());
        try {
            FileSystem fs = file.getFileSystem(hadoop);
            fs.mkdirs(file.getParent());
            try (OutputStream o = fs.create(temp, false)) {
                o.write(bytes);
            }
            FileContext.getFileContext(file.toUri(), hadoop).rename(temp, file, Options.Rename.OVERWRITE);
        } catch (IOException e) {
            try {
                temp.getFileSystem(hadoop).delete(temp, false);
            } catch (IOException ignored) {
                // best effort: the name is hidden from readers
            }
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The file's bytes, or empty when it does not exist. */
    public static Optional<byte[]> read(Path file, Configuration hadoop) {
        try (InputStream in = file.getFileSystem(hadoop).open(file)) {
            return Optional.of(in.readAllBytes());
        } catch (FileNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
