package io.metagrad.spark.prepare;

import io.metagrad.spark.featurize.FeaturizeResult;
import io.metagrad.spark.ingest.IngestResult;
import java.util.List;

/**
 * What a prepare wrote.
 *
 * @param output   the directory of both stages
 * @param ingest   the pool tables ({@link IngestResult#split} gives each split's)
 * @param features the features tables, one per split in the order given
 */
public record PrepareResult(String output, IngestResult ingest, List<FeaturizeResult> features) {

    public PrepareResult {
        features = List.copyOf(features);
    }

    /** The ingest lines, then the featurize lines, as the two commands print them. */
    public String summary() {
        StringBuilder s = new StringBuilder(ingest.summary());
        for (FeaturizeResult f : features) {
            s.append('\n').append(f.summary());
        }
        return s.append("\nprepare: committed ").append(output).toString();
    }
}
