package io.metagrad.spark.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code --index-labels}: label strings numbered by a Spark ML {@link StringIndexer} fitted once, on the first split
 * (the pool), so the ids follow Spark's own ordering rules ({@link LabelOrder}, ties alphabetical) and a target or
 * held-out split is numbered the way the pool is, as a pipeline fitted on training data transforms test data. A
 * label the index lacks fails its row, naming split, file and row, unless unknown labels are kept (id
 * {@code numLabels}, StringIndexer's {@code handleInvalid=keep}). Null labels stay null (unlabeled rows).
 */
final class LabelIndex {

    /** The column of {@link CheckedRows} that holds the label as read. */
    static final String TEXT = "_label_text";
    private static final String ID = "_label_id";

    private final StringIndexerModel model;
    private final String fittedOn;
    private final TabularColumns tabular;

    private LabelIndex(StringIndexerModel model, String fittedOn, TabularColumns tabular) {
        this.model = model;
        this.fittedOn = fittedOn;
        this.tabular = tabular;
    }

    /** Fits the index on the labels of {@code checked}'s good rows. */
    static LabelIndex fit(Dataset<Row> checked, String fittedOn, TabularColumns tabular) {
        Dataset<Row> labels = checked.filter(col("_error").isNull().and(col(TEXT).isNotNull())).select(TEXT);
        StringIndexerModel model = new StringIndexer().setInputCol(TEXT).setOutputCol(ID)
                .setStringOrderType(tabular.labelOrder().name()).setHandleInvalid("keep").fit(labels);
        return new LabelIndex(model, fittedOn, tabular);
    }

    /** The labels by id. */
    List<String> labels() {
        return Arrays.asList(model.labelsArray()[0]);
    }

    /** {@code checked} with {@code label} set to the ids, and unknown labels flagged (unless kept). */
    Dataset<Row> apply(Dataset<Row> checked) {
        int n = labels().size();
        Column unknown = col(TEXT).isNotNull().and(col(ID).equalTo(n));
        Dataset<Row> indexed = model.transform(checked)
                .withColumn("label", when(col(TEXT).isNull(), lit(null).cast("int")).otherwise(col(ID).cast("int")));
        if (!tabular.keepUnknownLabels()) {
            Column flag = unknown.and(col("_error").isNull());
            String field = tabular.labelSource();
            indexed = indexed
                    .withColumn("_field", when(flag, lit(field)).otherwise(col("_field")))
                    .withColumn("_record", when(flag, coalesce(col("_record"), to_json(struct(col("uid"), col(TEXT).as(field)))))
                            .otherwise(col("_record")))
                    .withColumn("_error", when(flag, concat(lit("label \""), col(TEXT), lit("\" is not in the label index fitted on "
                            + fittedOn + " (" + n + " labels: " + shown() + "); --handle-invalid keep gives unknown labels id " + n)))
                            .otherwise(col("_error")));
        }
        return indexed.drop(ID);
    }

    private String shown() {
        List<String> l = labels();
        return l.size() <= 10 ? String.join(", ", l) : String.join(", ", l.subList(0, 10)) + ", …";
    }

    /** What the table manifest records as {@code label_index}: the mapping and how it was made. */
    Map<String, Object> manifest() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("column", tabular.labelSource());
        m.put("order", tabular.labelOrder().name());
        m.put("fitted_on", fittedOn);
        m.put("labels", labels());
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (int i = 0; i < labels().size(); i++) {
            ids.put(labels().get(i), i);
        }
        m.put("ids", ids);
        m.put("handle_invalid", tabular.keepUnknownLabels() ? "keep" : "error");
        m.put("unknown_id", tabular.keepUnknownLabels() ? labels().size() : null);
        return m;
    }
}
