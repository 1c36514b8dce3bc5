package io.metagrad.spark.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/** Facts about a directory of Parquet files read from the file footers, without a Spark job. */
public final class ParquetFiles {

    private ParquetFiles() {}

    /**
     * Total rows in the {@code *.parquet} files directly inside {@code dir}. Works on the hidden
     * staging directories of {@link AtomicOutput}, which Spark's reader skips.
     */
    public static long rowCount(String dir, Configuration hadoop) {
        try {
            Path root = new Path(dir);
            FileSystem fs = root.getFileSystem(hadoop);
            long rows = 0;
            for (FileStatus file : fs.listStatus(root, p -> p.getName().endsWith(".parquet"))) {
                try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromStatus(file, hadoop))) {
                    rows += reader.getRecordCount();
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Parquet footers in " + dir, e);
        }
    }

    /** Number of {@code *.parquet} files directly inside {@code dir}. */
    public static int fileCount(String dir, Configuration hadoop) {
        try {
            Path root = new Path(dir);
            return root.getFileSystem(hadoop).listStatus(root, p -> p.getName().endsWith(".parquet")).length;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
