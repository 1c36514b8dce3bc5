package io.metagrad.spark.featurize;

import io.metagrad.spark.schema.TableSchemas;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Text through {@link MiniLmEncoder}, loaded once per executor, a batch of rows at a time. */
final class MiniLm implements TextFeaturizer {

    static final String NAME = "minilm-l6-v2-q";

    private final int batchSize;
    private final int runBatch;

    MiniLm(int batchSize, int runBatch) {
        this.batchSize = batchSize;
        this.runBatch = runBatch;
    }

    @Override
    public Featurized apply(Dataset<Row> pool, FittedReference reference) {
        if (reference != null) {
            reference.require(NAME); // nothing is fitted; this only checks both tables use the same encoder
        }
        StructType schema = pool.schema().add("features", TableSchemas.floatArray(), false);
        Dataset<Row> rows = pool.mapPartitions(new Encode(batchSize, runBatch), Encoders.row(schema));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("maxTokens", MiniLmEncoder.MAX_TOKENS);
        params.put("pooling", "mean");
        params.put("l2Normalize", true);
        params.put("runBatch", runBatch);
        return new Featurized(rows, NAME, "1/" + MiniLmEncoder.MODEL_VERSION, params);
    }

    private static final class Encode implements MapPartitionsFunction<Row, Row> {
        private static final Logger LOG = LoggerFactory.getLogger(MiniLm.class);
        private static final int LOG_EVERY = 5_000;

        private final int batchSize;
        private final int runBatch;

        Encode(int batchSize, int runBatch) {
            this.batchSize = batchSize;
            this.runBatch = runBatch;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> input) {
            MiniLmEncoder encoder = MiniLmEncoder.shared();
            TaskContext task = TaskContext.get();
            int partition = task == null ? -1 : task.partitionId();
            return new Iterator<>() {
                private final List<Row> pending = new ArrayList<>();
                private Iterator<Row> ready = List.<Row>of().iterator();
                private long done;

                @Override
                public boolean hasNext() {
                    if (!ready.hasNext() && input.hasNext()) {
                        fill();
                    }
                    return ready.hasNext();
                }

                @Override
                public Row next() {
                    hasNext();
                    return ready.next();
                }

                private void fill() {
                    pending.clear();
                    List<String> texts = new ArrayList<>();
                    while (input.hasNext() && pending.size() < batchSize) {
                        Row r = input.next();
                        pending.add(r);
                        texts.add(r.getAs("text"));
                    }
                    float[][] embeddings = encoder.encode(texts, runBatch);
                    List<Row> out = new ArrayList<>(pending.size());
                    for (int b = 0; b < pending.size(); b++) {
                        Row r = pending.get(b);
                        Object[] values = new Object[r.size() + 1];
                        for (int i = 0; i < r.size(); i++) {
                            values[i] = r.get(i);
                        }
                        values[r.size()] = embeddings[b];
                        out.add(RowFactory.create(values));
                    }
                    long before = done;
                    done += pending.size();
                    if (done / LOG_EVERY > before / LOG_EVERY) {
                        LOG.info("featurize: minilm: partition {}: {} texts encoded", partition, done);
                    }
                    ready = out.iterator();
                }
            };
        }
    }
}
