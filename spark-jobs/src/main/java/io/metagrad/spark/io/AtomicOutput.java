package io.metagrad.spark.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Commits an output directory all at once: the job writes into a hidden staging directory beside
 * the destination, and {@link #commit()} renames it into place. A failed job leaves no
 * half-written output, and an existing destination is refused unless {@code overwrite}.
 * Works on any Hadoop filesystem ({@code file://}, {@code s3a://}, HDFS).
 */
public final class AtomicOutput {

    private final FileSystem fs;
    private final Path destination;
    private final Path staging;
    private final boolean overwrite;

    private AtomicOutput(FileSystem fs, Path destination, boolean overwrite) {
        this.fs = fs;
        this.destination = destination;
        this.overwrite = overwrite;
        this.staging = new Path(destination.getParent(), "." + destination.getName() + ".staging-" + UUID.randomUUID());
    }

    /** Prepares to write {@code destination}; fails now if it exists and {@code overwrite} is false. */
    public static AtomicOutput to(String destination, Configuration hadoop, boolean overwrite) {
        try {
            Path path = new Path(destination);
            FileSystem fs = path.getFileSystem(hadoop);
            Path qualified = fs.makeQualified(path);
            if (fs.exists(qualified) && !overwrite) {
                throw new IllegalArgumentException("output " + qualified + " exists; pass --overwrite to replace it");
            }
            return new AtomicOutput(fs, qualified, overwrite);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare output " + destination, e);
        }
    }

    /** Where the job writes; nothing there is visible at the destination until {@link #commit()}. */
    public String stagingPath() {
        return staging.toString();
    }

    /** Moves the staged output into place (replacing the destination when overwriting). */
    public void commit() {
        try {
            if (fs.exists(destination)) {
                if (!overwrite) {
                    throw new IllegalStateException("output " + destination + " appeared while the job ran");
                }
                fs.delete(destination, true);
            }
            if (!fs.rename(staging, destination)) {
                throw new IOException("rename " + staging + " → " + destination + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit output " + destination, e);
        }
    }

    /** Removes the staging directory (after a failure). */
    public void abort() {
        try {
            fs.delete(staging, true);
        } catch (IOException e) {
            // best effort: the staging directory is hidden and never read
        }
    }

    public Path destination() {
        return destination;
    }
}
