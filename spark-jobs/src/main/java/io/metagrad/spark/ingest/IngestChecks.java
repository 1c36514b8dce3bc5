package io.metagrad.spark.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import io.metagrad.spark.schema.TableSchemas;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * The checks that need more than one row: every vector column has one length (set by its first
 * row in file/row order), and every uid appears once (the first occurrence among otherwise good
 * rows is kept, later ones are flagged). Only rows not flagged yet take part.
 */
final class IngestChecks {

    private IngestChecks() {}

    /** The reference length of one vector field, from the first row that has it. */
    record Dimension(String field, int length, String file, long row, boolean consistent) {}

    /** Reads the length of every vector field (pixels, emb_&lt;name&gt;) among good rows. */
    static List<Dimension> dimensions(Dataset<Row> checked) {
        Dataset<Row> good = checked.filter(col("_error").isNull());
        Dataset<Row> pixels = good.filter(col("pixels").isNotNull())
                .select(col("_file"), col("_row"), lit("pixels").as("field"), size(col("pixels")).as("n"));
        Dataset<Row> embeddings = good.select(col("_file"), col("_row"), explode(col("embeddings")).as(new String[] {"k", "v"}))
                .select(col("_file"), col("_row"), concat(lit(TableSchemas.EMBEDDING_PREFIX), col("k")).as("field"),
                        size(col("v")).as("n"));
        List<Row> rows = pixels.unionByName(embeddings).groupBy("field")
                .agg(min(struct(col("_file"), col("_row"), col("n"))).as("first"), min("n"), max("n"))
                .orderBy("field").collectAsList();
        List<Dimension> out = new ArrayList<>();
        for (Row r : rows) {
            Row first = r.getStruct(1);
            out.add(new Dimension(r.getString(0), first.getInt(2), first.getString(0), first.getLong(1),
                    r.getInt(2) == r.getInt(3)));
        }
        return out;
    }

    /** Flags good rows whose vectors differ in length from the reference. */
    static Dataset<Row> flagLengths(Dataset<Row> checked, List<Dimension> dimensions) {
        Column field = col("_field");
        Column error = col("_error");
        for (Dimension d : dimensions) {
            if (d.consistent()) {
                continue;
            }
            Column vector = d.field().equals("pixels") ? col("pixels")
                    : col("embeddings").getItem(d.field().substring(TableSchemas.EMBEDDING_PREFIX.length()));
            Column wrong = col("_error").isNull().and(vector.isNotNull()).and(size(vector).notEqual(d.length()));
            // later columns may not overwrite an earlier column's flag on the same row
            Column unflagged = error.isNull();
            Column message = concat(lit("has length "), size(vector).cast("string"),
                    lit(", but " + d.file() + " row " + d.row() + " has " + d.length()));
            field = when(wrong.and(unflagged), lit(d.field())).otherwise(field);
            error = when(wrong.and(unflagged), message).otherwise(error);
        }
        return checked.withColumn("_field", field).withColumn("_error", error);
    }

    /** Flags every good row whose uid already appeared on an earlier good row. */
    static Dataset<Row> flagDuplicates(Dataset<Row> checked) {
        WindowSpec byUid = Window.partitionBy("uid").orderBy("_file", "_row");
        Dataset<Row> good = checked.filter(col("_error").isNull())
                .withColumn("_n", row_number().over(byUid))
                .withColumn("_first_file", first("_file").over(byUid))
                .withColumn("_first_row", first("_row").over(byUid));
        Column duplicate = col("_n").gt(1);
        Column where = when(col("_first_file").equalTo(col("_file")), lit("")).otherwise(concat(col("_first_file"), lit(" ")));
        good = good.withColumn("_field", when(duplicate, lit("uid")).otherwise(col("_field")))
                .withColumn("_error", when(duplicate, concat(lit("duplicate of "), where, lit("row "),
                        col("_first_row").cast("string"))).otherwise(col("_error")))
                .drop("_n", "_first_file", "_first_row");
        return good.unionByName(checked.filter(col("_error").isNotNull()));
    }
}
