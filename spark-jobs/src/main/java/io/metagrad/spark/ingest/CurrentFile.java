package io.metagrad.spark.ingest;

import java.net.URI;
import java.net.URISyntaxException;
import org.apache.spark.rdd.InputFileBlockHolder;

/** Inside a Spark task: the input file being read, and a short reason for a read failure. */
final class CurrentFile {

    private CurrentFile() {}

    /** The file Spark's reader is on in this task (empty when none), as a path like those the rows carry. */
    static String path() {
        String encoded = InputFileBlockHolder.getInputFilePath().toString();
        if (encoded.isEmpty()) {
            return "";
        }
        try {
            return new org.apache.hadoop.fs.Path(new URI(encoded)).toString();
        } catch (URISyntaxException e) {
            return encoded;
        }
    }

    /** The innermost message of a read failure (Spark wraps it), one line. */
    static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
        return m.strip().split("\\R")[0];
    }
}
