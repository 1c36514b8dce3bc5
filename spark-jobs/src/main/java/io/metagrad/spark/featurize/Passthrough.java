package io.metagrad.spark.featurize;

import static org.apache.spark.sql.functions.col;

import io.metagrad.spark.schema.TableSchemas;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** A precomputed pool embedding ({@code emb_<name>}), used as the features unchanged. */
final class Passthrough implements Featurizer {

    private final String embedding;

    Passthrough(String embedding) {
        this.embedding = embedding;
    }

    private String column() {
        return TableSchemas.EMBEDDING_PREFIX + embedding;
    }

    @Override
    public Column missingInput() {
        return col(column()).isNull();
    }

    @Override
    public String input() {
        return column();
    }

    @Override
    public Featurized apply(Dataset<Row> pool, FittedReference reference) {
        if (reference != null) {
            reference.require("passthrough:" + embedding);
        }
        return new Featurized(pool.withColumn("features", col(column())), "passthrough:" + embedding, "1",
                Map.of("embedding", embedding));
    }
}
