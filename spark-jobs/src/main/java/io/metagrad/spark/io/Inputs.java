package io.metagrad.spark.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/** Checks on a job's inputs that must fail before any work starts. */
public final class Inputs {

    private Inputs() {}

    /**
     * Fails with a {@link FileNotFoundException} cause (exit code 3 on the command line) naming the
     * option and the path when no table exists there. {@code path} may also name a catalog table
     * ({@link CatalogTables}), looked up in the active session.
     */
    public static void requireTable(String path, String option, Configuration hadoop) {
        if (CatalogTables.isTableName(path)) {
            // a catalog table (e.g. --pool lake.db.features): only a session can look it up
            CatalogTables.require(SparkSession.active(), path, option);
            return;
        }
        try {
            Path p = new Path(path);
            if (AtomicOutput.pendingCommit(path, hadoop)) {
                throw new IllegalArgumentException(option + ": the commit of " + path + " was interrupted (a job writing it was"
                        + " killed); rerun that job to finish it");
            }
            if (!p.getFileSystem(hadoop).exists(p)) {
                throw new UncheckedIOException(new FileNotFoundException(option + ": no table at " + path));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + path, e);
        }
    }
}
