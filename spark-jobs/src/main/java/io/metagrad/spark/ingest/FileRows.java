package io.metagrad.spark.ingest;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.sql.Row;

/**
 * Turns a partition of input rows into checked rows, numbering them within their file. The
 * reading session puts every file in one task, whole and in order, so the count restarts
 * whenever the file changes. {@link #convert} may return null to skip an input row (a blank
 * line), which still counts. A file that cannot be read on (truncated, corrupt) fails with its name
 * and the line it stopped at.
 */
abstract class FileRows implements Iterator<Row> {

    private final Iterator<Row> input;
    private String file;
    private long row;
    private Row next;

    FileRows(Iterator<Row> input) {
        this.input = input;
    }

    /** The file of an input row. */
    abstract String fileOf(Row in);

    /** Converts input row number {@code row} (from 1) of {@code file}, or returns null to skip it. */
    abstract Row convert(Row in, String file, long row);

    @Override
    public boolean hasNext() {
        while (next == null && inputHasNext()) {
            Row in = readInput();
            String f = fileOf(in);
            if (!f.equals(file)) {
                file = f;
                row = 0;
            }
            row++;
            next = convert(in, file, row);
        }
        return next != null;
    }

    private boolean inputHasNext() {
        try {
            return input.hasNext();
        } catch (Exception e) { // a reader's IOException arrives unchecked through Scala
            throw unreadable(e);
        }
    }

    private Row readInput() {
        try {
            return input.next();
        } catch (Exception e) {
            throw unreadable(e);
        }
    }

    /** A file that stops being readable part way (a truncated .gz, a damaged block), named with the line it stopped at. */
    private IllegalArgumentException unreadable(Exception e) {
        // Each file is read whole by one task, so the file of the last row is the one that failed.
        String where = file != null ? file : CurrentFile.path();
        return new IllegalArgumentException(where + " line " + (row + 1) + ": cannot be read (" + CurrentFile.reason(e)
                + "); is the file truncated or corrupt?", e);
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Row r = next;
        next = null;
        return r;
    }
}
