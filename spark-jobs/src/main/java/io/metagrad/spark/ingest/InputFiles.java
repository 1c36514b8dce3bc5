package io.metagrad.spark.ingest;

import io.metagrad.spark.io.CatalogTables;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import io.metagrad.spark.io.OutputGuard;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The files an ingest reads: each input is a file (taken as is), a directory (its files with
 * the format's name endings, not recursive, hidden {@code _x}/{@code .x} names skipped) or a glob. Sorted, so that "the first"
 * occurrence of a uid is well defined. A catalog table {@code CATALOG.DB.NAME} is read whole ({@link InputFormat#TABLE}).
 */
record InputFiles(InputFormat format, List<String> files) {

    static InputFiles list(SparkSession spark, List<String> inputs, InputFormat requested) {
        if (requested == InputFormat.TABLE || inputs.stream().anyMatch(CatalogTables::isTableName)) {
            return table(spark, inputs, requested);
        }
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        TreeSet<String> files = new TreeSet<>();
        InputFormat format = requested;
        try {
            for (String input : inputs) {
                Path path = new Path(input);
                FileSystem fs = path.getFileSystem(hadoop);
                FileStatus[] matched = fs.globStatus(path);
                if (matched == null || matched.length == 0) {
                    throw new FileNotFoundException("input " + input + " does not exist");
                }
                for (FileStatus status : matched) {
                    if (status.isDirectory()) {
                        List<String> inDir = new ArrayList<>();
                        for (FileStatus child : fs.listStatus(status.getPath())) {
                            String name = child.getPath().getName();
                            if (child.isFile() && !name.startsWith("_") && !name.startsWith(".")
                                    && (format == InputFormat.AUTO ? InputFormat.ofFileName(name) != null : format.matches(name))) {
                                inDir.add(child.getPath().toString());
                            }
                        }
                        if (inDir.isEmpty()) {
                            throw new IllegalArgumentException("input directory " + status.getPath() + " has no "
                                    + (format == InputFormat.AUTO ? ".parquet, .jsonl or .csv" : String.join(" or ", format.suffixes()))
                                    + " files");
                        }
                        files.addAll(inDir);
                    } else {
                        files.add(status.getPath().toString());
                    }
                }
            }
        } catch (FileNotFoundException e) {
            throw new UncheckedIOException(e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list input " + inputs, e);
        }
        if (format == InputFormat.AUTO) {
            format = resolve(files);
        }
        return new InputFiles(format, List.copyOf(files));
    }

    /** One catalog table, read whole ({@link InputFormat#TABLE}). */
    private static InputFiles table(SparkSession spark, List<String> inputs, InputFormat requested) {
        String table = inputs.get(0);
        if (inputs.size() != 1 || !CatalogTables.isTableName(table) || (requested != InputFormat.AUTO && requested != InputFormat.TABLE)) {
            throw new IllegalArgumentException("ingest --input " + String.join(",", inputs) + ": a catalog table (CATALOG.DB.NAME)"
                    + " is ingested alone, with --format auto or table");
        }
        CatalogTables.require(spark, table, "ingest --input");
        return new InputFiles(InputFormat.TABLE, List.of(table));
    }

    /**
     * Every path the ingest reads, keyed for messages: the {@code --input} arguments that name a file or
     * directory (not globs) and each file found.
     */
    List<OutputGuard.Named> readPaths(List<String> inputs) {
        List<OutputGuard.Named> paths = new ArrayList<>();
        for (String input : inputs) {
            if (!input.matches(".*[*?\\[{].*")) {
                paths.add(new OutputGuard.Named("--input", input));
            }
        }
        for (String f : files) {
            paths.add(new OutputGuard.Named("file", f));
        }
        return paths;
    }

    private static InputFormat resolve(TreeSet<String> files) {
        InputFormat found = null;
        for (String f : files) {
            InputFormat format = InputFormat.ofFileName(new Path(f).getName());
            if (format == null) {
                throw new IllegalArgumentException("cannot tell the format of " + f + " from its name; pass --format");
            }
            if (found != null && found != format) {
                throw new IllegalArgumentException("inputs mix " + found.name().toLowerCase() + " and "
                        + format.name().toLowerCase() + " files; ingest one format at a time");
            }
            found = format;
        }
        return found;
    }
}
