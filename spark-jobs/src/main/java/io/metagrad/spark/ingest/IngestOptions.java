package io.metagrad.spark.ingest;

import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options of {@code mgd ingest} (shared by the CLI command and {@link IngestJob#main}). */
public final class IngestOptions {

    @Option(names = "--input", split = ",", paramLabel = "PATH",
            description = "Input file, directory or glob (repeat or separate with commas), or one catalog table CATALOG.DB.NAME. "
                    + "Give --input or --split.")
    List<String> inputs;

    @Option(names = "--split", paramLabel = "NAME=PATH",
            description = "Instead of --input: one table per split, written as <output>/NAME (repeat: --split pool=a.csv "
                    + "--split target=b.csv --split test=c.csv), all in one Spark session and one atomic commit. The label "
                    + "index (--index-labels) is fitted on the first split, the pool, and numbers the others alike.")
    List<String> splits;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "The pool table to write.")
    String output;

    @Option(names = "--quarantine", paramLabel = "DIR", description = "Quarantine table (default: <output>_quarantine).")
    String quarantine;

    @Option(names = "--overwrite", description = "Replace existing output tables.")
    boolean overwrite;

    @Mixin
    IngestReadOptions read = new IngestReadOptions();

    /** The validated parameters. */
    public IngestParams toParams() {
        return read.toParams(inputs, splits == null ? List.of() : splits.stream().map(IngestSplit::parse).toList(), output,
                quarantine, overwrite);
    }
}
