package io.metagrad.spark.ml;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.raise_error;
import static org.apache.spark.sql.functions.when;

import io.metagrad.spark.io.FeatureTables;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.schema.Table;
import io.metagrad.spark.schema.TableSchemas;
import java.util.Map;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML dataset (a {@code Vector} features column as {@code VectorAssembler} makes it, a numeric label
 * as {@code StringIndexer} makes it, a uid column) written as a features table ({@code features/v1}), the
 * input {@code select} reads. Vectors become {@code array<float>}; a label must be a whole number.
 *
 * @param featuresCol a {@code Vector} or numeric-array column
 * @param labelCol a numeric column of class ids (null: unlabeled), or null when the rows have no labels
 * @param uidCol the column naming each row uniquely (any type; written as its string)
 */
record MlFeatureTable(String featuresCol, String labelCol, String uidCol) {

    /** Fails, naming the column, unless {@code schema} has the columns this table is made from. */
    void requireColumns(StructType schema, String what) {
        DataType features = field(schema, featuresCol, what, "featuresCol").dataType();
        boolean vector = features.equals(SQLDataTypes.VectorType());
        boolean array = features instanceof ArrayType a && a.elementType() instanceof NumericType;
        if (!vector && !array) {
            throw new IllegalArgumentException(what + " column '" + featuresCol + "' (featuresCol) has type "
                    + features.simpleString() + "; MgdSelector needs a Vector (e.g. from VectorAssembler) or a numeric array");
        }
        if (labelCol != null && !(field(schema, labelCol, what, "labelCol").dataType() instanceof NumericType)) {
            throw new IllegalArgumentException(what + " column '" + labelCol + "' (labelCol) has type "
                    + schema.apply(labelCol).dataType().simpleString() + "; index string labels first (StringIndexer)");
        }
        field(schema, uidCol, what, "uidCol");
    }

    /** The rows of {@code data} as {@code features/v1} rows. */
    Dataset<Row> rows(Dataset<?> data) {
        Column features = data.schema().apply(featuresCol).dataType().equals(SQLDataTypes.VectorType())
                ? org.apache.spark.ml.functions.vector_to_array(col(featuresCol), "float32")
                : col(featuresCol).cast(TableSchemas.floatArray());
        Column uid = col(uidCol).cast("string");
        Column label;
        if (labelCol == null) {
            label = lit(null).cast("int");
        } else {
            Column l = col(labelCol).cast("double");
            // A fractional label is a mistake upstream (a regression column, an unindexed score): name the row.
            label = when(l.isNotNull().and(l.notEqual(floor(l))), raise_error(concat(
                    lit("labelCol '" + labelCol + "' of the row with " + uidCol + " = '"), uid,
                    lit("' is not a whole number; MgdSelector needs class ids (StringIndexer makes them)"))))
                    .otherwise(l.cast("int"));
        }
        Dataset<Row> rows = data.select(uid.as("uid"), features.as("features"), label.as("label"),
                lit(null).cast(TableSchemas.floatArray()).as("target"), lit("spark-ml:" + featuresCol).as("featurizer"),
                lit(null).cast("string").as("featurizer_version"), lit(null).cast("string").as("featurizer_params"));
        return TableSchemas.validate(rows, Table.FEATURES, featuresCol);
    }

    /** Writes {@code data} as a features table at {@code path}, replacing the one an earlier fit wrote there. */
    long write(Dataset<?> data, String path, String stage) {
        TableManifest manifest = TableManifest.of(stage, Table.FEATURES)
                .params(Map.of("featuresCol", featuresCol, "labelCol", String.valueOf(labelCol), "uidCol", uidCol));
        return FeatureTables.write(rows(data), path, true, manifest);
    }

    private static StructField field(StructType schema, String name, String what, String param) {
        if (name == null || !java.util.Arrays.asList(schema.fieldNames()).contains(name)) {
            throw new IllegalArgumentException(what + " has no column '" + name + "' (" + param + "); columns: "
                    + String.join(", ", schema.fieldNames()));
        }
        return schema.apply(name);
    }
}
