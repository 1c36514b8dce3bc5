package io.metagrad.cli;

import io.metagrad.spark.SparkSessions;
import io.metagrad.spark.sample.DataCompSampleBuilder;
import io.metagrad.spark.train.TrainingFlags;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mgd sample-datacomp}: a CLIP-style image–caption pool as DataComp shards (.parquet metadata + .npz). */
@Command(name = "sample-datacomp", mixinStandardHelpOptions = true,
        description = {"Writes sample-clip's pool as DataComp shards: NNNNNNNN.parquet (32-hex uid, url, text,",
            "original_width/height, clip_b32_similarity_score, caption_kind) + NNNNNNNN.npz (b32_img, b32_txt), for",
            "ingest --format datacomp. The score is the pair's cosine under a reference CLIP head trained on --target",
            "(give --model CLIP and the head's training options)."})
final class SampleDataCompCommand implements Callable<Integer> {

    @Option(names = "--sample", required = true, paramLabel = "POOL", description = "Pool table with text and source (sample-clip's pool).")
    String sample;

    @Option(names = "--pool", required = true, paramLabel = "FEATURES",
            description = "Its features table (featurize --target-embedding caption): image features and caption embedding.")
    String pool;

    @Option(names = "--target", required = true, paramLabel = "FEATURES", description = "Clean target pairs the reference head trains on.")
    String target;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Directory of the shards to write.")
    String output;

    @Option(names = "--shards", defaultValue = "4", description = "Number of shards (default: ${DEFAULT-VALUE}).")
    int shards;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the scoring (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--overwrite", description = "Replace an existing output directory.")
    boolean overwrite;

    @Mixin
    TrainingFlags training = new TrainingFlags();

    @Override
    public Integer call() {
        long rows = DataCompSampleBuilder.build(SparkSessions.getOrCreate("mgd sample-datacomp"), sample, pool, target, output,
                shards, training.toOptions(), seed, overwrite);
        System.out.println("sample-datacomp: wrote " + rows + " rows as " + shards + " DataComp shard(s) to " + output);
        return 0;
    }
}
