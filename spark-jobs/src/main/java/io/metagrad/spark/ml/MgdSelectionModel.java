package io.metagrad.spark.ml;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.metagrad.spark.io.AtomicFiles;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.select.SelectTables;
import java.util.Arrays;
import java.util.Locale;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The selection an {@link MgdSelector} made (the {@code selection/v1} table: uid, count, metagrad, rank) as a
 * Spark ML {@link Model}. {@code transform} joins any dataset with the uid column to it: mode {@code weight}
 * (default) adds {@code countCol}, each row's MGD count (0 when not selected), to train with as a weight;
 * mode {@code filter} keeps only the selected rows, with their count. Saved in Spark ML's layout:
 * {@code metadata/} (the params, as Spark's {@code DefaultParamsWriter} writes them) and {@code data/} (the
 * selection table with its {@code _metagrad.json}: the run's parameters and inputs).
 */
public final class MgdSelectionModel extends Model<MgdSelectionModel> implements MLWritable {

    private static final long serialVersionUID = 1L;
    static final String DEFAULT_COUNT_COL = "mgd_count";
    private static final String DATA = "data";

    private final String uid;
    private final transient Dataset<Row> selection;
    private final String provenance;
    private final Param<String> uidCol;
    private final Param<String> countCol;
    private final Param<String> mode;

    MgdSelectionModel(String uid, Dataset<Row> selection, String provenance) {
        this.uid = uid; // before the params: each records its parent's uid
        this.selection = selection;
        this.provenance = provenance;
        uidCol = new Param<>(this, "uidCol", "column naming each row uniquely");
        countCol = new Param<>(this, "countCol", "column transform adds: each row's MGD count");
        mode = new Param<>(this, "mode", "weight (add countCol to every row) or filter (keep the selected rows)");
        setDefault(uidCol, "uid");
        setDefault(countCol, DEFAULT_COUNT_COL);
        setDefault(mode, "weight");
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> uidCol() { return uidCol; }
    public Param<String> countCol() { return countCol; }
    public Param<String> mode() { return mode; }

    public MgdSelectionModel setUidCol(String v) { set(uidCol, v); return this; }
    public MgdSelectionModel setCountCol(String v) { set(countCol, v); return this; }

    /** {@code weight} or {@code filter}. */
    public MgdSelectionModel setMode(String v) {
        String m = v.toLowerCase(Locale.ROOT);
        if (!m.equals("weight") && !m.equals("filter")) {
            throw new IllegalArgumentException("MgdSelectionModel.mode = '" + v + "' invalid; weight or filter");
        }
        set(mode, m);
        return this;
    }

    /** The selection table: uid, count, metagrad, rank ({@code data-schemas/SELECTION.md}). */
    public Dataset<Row> selection() {
        return selection;
    }

    /** The selection's {@code _metagrad.json}: the select run's parameters, inputs and versions. */
    public String provenance() {
        return provenance;
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        String counts = getOrDefault(countCol);
        Dataset<Row> chosen = selection.select(col("uid").as("_mgd_uid"), col("count").as("_mgd_count"));
        Dataset<Row> data = dataset.toDF();
        Column key = data.col(getOrDefault(uidCol)).cast("string").equalTo(chosen.col("_mgd_uid"));
        boolean filter = getOrDefault(mode).equals("filter");
        Dataset<Row> joined = data.join(chosen, key, filter ? "inner" : "left_outer");
        return joined.withColumn(counts, coalesce(col("_mgd_count"), lit(0))).drop("_mgd_uid", "_mgd_count");
    }

    @Override
    public StructType transformSchema(StructType schema) {
        String uidColumn = getOrDefault(uidCol);
        if (!Arrays.asList(schema.fieldNames()).contains(uidColumn)) {
            throw new IllegalArgumentException("dataset has no column '" + uidColumn + "' (uidCol); columns: "
                    + String.join(", ", schema.fieldNames()));
        }
        return withCountColumn(schema, getOrDefault(countCol));
    }

    static StructType withCountColumn(StructType schema, String countColumn) {
        if (Arrays.asList(schema.fieldNames()).contains(countColumn)) {
            throw new IllegalArgumentException("dataset already has a column '" + countColumn
                    + "' (countCol); choose another countCol");
        }
        return schema.add(countColumn, DataTypes.IntegerType, false);
    }

    @Override
    public MgdSelectionModel copy(ParamMap extra) {
        return copyValues(new MgdSelectionModel(uid, selection, provenance), extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    public static MLReader<MgdSelectionModel> read() {
        return new Reader();
    }

    public static MgdSelectionModel load(String path) {
        return read().load(path);
    }

    /** The {@code _metagrad.json} of the selection table at {@code path} (empty object when it has none). */
    static String provenanceOf(String path, SparkSession spark) {
        return AtomicFiles.readText(new Path(path, TableManifest.FILE_NAME).toString(),
                spark.sparkContext().hadoopConfiguration()).orElse("{}");
    }

    private static final class Writer extends MLWriter {
        private final MgdSelectionModel model;

        Writer(MgdSelectionModel model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            // Spark's own metadata layout, so Pipeline and DefaultParamsReader read it like any stage's.
            DefaultParamsWriter.saveMetadata(model, path, sc(), scala.Option.empty(), scala.Option.empty());
            String data = new Path(path, DATA).toString();
            model.selection.select(SelectTables.SELECTION.fieldNames()[0],
                    Arrays.copyOfRange(SelectTables.SELECTION.fieldNames(), 1, SelectTables.SELECTION.size()))
                    .write().parquet(data);
            AtomicFiles.writeText(new Path(data, TableManifest.FILE_NAME).toString(), model.provenance,
                    sc().hadoopConfiguration());
        }
    }

    private static final class Reader extends MLReader<MgdSelectionModel> {
        @Override
        public MgdSelectionModel load(String path) {
            DefaultParamsReader.Metadata metadata =
                    DefaultParamsReader.loadMetadata(path, sc(), MgdSelectionModel.class.getName());
            String data = new Path(path, DATA).toString();
            MgdSelectionModel model = new MgdSelectionModel(metadata.uid(), sparkSession().read().parquet(data),
                    provenanceOf(data, sparkSession()));
            metadata.getAndSetParams(model, scala.Option.empty());
            return model;
        }
    }
}
