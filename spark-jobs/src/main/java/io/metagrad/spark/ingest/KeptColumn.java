package io.metagrad.spark.ingest;

import static org.apache.spark.sql.functions.col;

import io.metagrad.spark.schema.TableSchemas;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;

/**
 * A DataComp metadata column the user keeps ({@code ingest --keep-column NAME}) although it is no pool
 * field: whole numbers become {@code bigint}, other numbers {@code double} (finite), strings stay strings
 * (strict UTF-8). The pool column carries {@link TableSchemas#keptColumn}'s mark, so pool readers accept it.
 *
 * @param name   the column's name, in the input and in the pool
 * @param type   the pool column's type: bigint, double or string
 */
record KeptColumn(String name, DataType type) implements Serializable {

    /**
     * The kept column for input column {@code name} of Spark type {@code input}.
     *
     * @throws IllegalArgumentException naming {@code where} and the column when its type cannot be kept
     */
    static KeptColumn of(String where, String name, DataType input) {
        DataType type;
        if (input.equals(DataTypes.ByteType) || input.equals(DataTypes.ShortType) || input.equals(DataTypes.IntegerType)
                || input.equals(DataTypes.LongType)) {
            type = DataTypes.LongType;
        } else if (input.equals(DataTypes.FloatType) || input.equals(DataTypes.DoubleType) || input instanceof DecimalType) {
            type = DataTypes.DoubleType;
        } else if (input.equals(DataTypes.StringType)) {
            type = DataTypes.StringType;
        } else {
            throw new IllegalArgumentException(where + " field '" + name + "' has type " + input.simpleString()
                    + "; --keep-column keeps numeric or string columns");
        }
        return new KeptColumn(name, type);
    }

    /**
     * Every file has the column (in its Parquet footer): a shard without it would silently read as nulls.
     *
     * @throws IllegalArgumentException naming the first file that lacks a kept column
     */
    static void requireInEveryFile(List<String> files, List<String> names, Configuration hadoop) {
        for (String f : files) {
            try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(new Path(f), hadoop))) {
                org.apache.parquet.schema.MessageType schema = reader.getFooter().getFileMetaData().getSchema();
                for (String name : names) {
                    if (!schema.containsField(name)) {
                        throw new IllegalArgumentException(f + " field '" + name + "': no such column (--keep-column asks"
                                + " for it); the file has " + String.join(", ",
                                        schema.getFields().stream().map(org.apache.parquet.schema.Type::getName).toList()));
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (e instanceof IllegalArgumentException named) {
                    throw named;
                }
                throw new IllegalArgumentException(f + ": not a readable Parquet file (" + CurrentFile.reason(e) + ")", e);
            }
        }
    }

    /** The pool column, marked as kept. */
    StructField field() {
        return TableSchemas.keptColumn(name, type);
    }

    /** The input column as the reader selects it: strings as raw bytes, decoded strictly in {@link #value}. */
    Column raw() {
        Column c = col("`" + name + "`");
        return type.equals(DataTypes.StringType) ? c.cast("binary") : c;
    }

    /** The pool value of a raw input value (null stays null). */
    Object value(Object raw) throws BadField {
        if (raw == null) {
            return null;
        }
        if (type.equals(DataTypes.StringType)) {
            try {
                return Utf8.decode((byte[]) raw);
            } catch (Utf8.Invalid e) {
                throw new BadField(name, e.getMessage());
            }
        }
        if (type.equals(DataTypes.LongType)) {
            return ((Number) raw).longValue();
        }
        double d = ((Number) raw).doubleValue();
        if (!Double.isFinite(d)) {
            throw new BadField(name, "is " + d + "; a kept numeric column must be finite");
        }
        return d;
    }
}
