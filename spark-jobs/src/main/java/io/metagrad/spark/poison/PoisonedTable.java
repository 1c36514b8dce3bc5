package io.metagrad.spark.poison;

import io.metagrad.spark.io.FeatureTables;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.schema.Table;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Writes the poisoned training table: the training table's rows, in its schema, with the poisoned
 * rows' features and labels replaced and {@code source} set to {@code poisoned:<method>} on them and
 * {@code clean} elsewhere. When a method made soft labels, every row's {@code target} holds its label
 * distribution (one-hot on clean rows) and {@code label} its largest entry; the other jobs train on
 * {@code label}.
 */
final class PoisonedTable {

    /** One poisoned row's new values. */
    private record Replacement(List<Float> features, int label, List<Float> target) implements Serializable {}

    private PoisonedTable() {}

    static long write(SparkSession spark, PoisonData d, Poison poison, PoisonMethod method, String trainPath, String output,
            TableManifest manifest) {
        int[] rows = d.rows();
        int width = d.train().width();
        int classes = d.classes();
        boolean soft = false;
        for (int r = 0; r < rows.length; r++) {
            soft |= !poison.hardLabel(r, classes);
        }
        Map<String, Replacement> replaced = new HashMap<>();
        for (int r = 0; r < rows.length; r++) {
            List<Float> x = new ArrayList<>(width);
            for (int j = 0; j < width; j++) {
                x.add((float) poison.features()[r * width + j]);
            }
            List<Float> t = null;
            if (soft) {
                t = new ArrayList<>(classes);
                for (int c = 0; c < classes; c++) {
                    t.add((float) poison.labels()[r * classes + c]);
                }
            }
            replaced.put(d.train().uid(rows[r]), new Replacement(x, poison.label(r, classes), t));
        }
        Dataset<Row> in = FeatureTables.dataset(spark, trainPath);
        Dataset<Row> out = in.mapPartitions(new Replace(replaced, "poisoned:" + method.cliName(), soft, classes),
                Encoders.row(Table.FEATURES.schema()));
        return FeatureTables.write(out, output, true, manifest);
    }

    /** Replaces the poisoned rows and sets {@code source} (and the soft targets) on every row. */
    private static final class Replace implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final Map<String, Replacement> replaced;
        private final String source;
        private final boolean soft;
        private final int classes;

        Replace(Map<String, Replacement> replaced, String source, boolean soft, int classes) {
            this.replaced = replaced;
            this.source = source;
            this.soft = soft;
            this.classes = classes;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> input) {
            List<Row> out = new ArrayList<>();
            while (input.hasNext()) {
                Row r = input.next();
                Replacement p = replaced.get(r.getString(0));
                Object features = p == null ? r.get(1) : seq(p.features());
                Object label = p == null ? r.get(2) : (Object) p.label();
                Object target = r.get(3);
                if (soft) {
                    target = seq(p != null ? p.target() : oneHot(r.isNullAt(2) ? -1 : r.getInt(2)));
                }
                out.add(RowFactory.create(r.get(0), features, label, target, r.get(4), r.get(5), r.get(6),
                        p == null ? "clean" : source));
            }
            return out.iterator();
        }

        /** Spark's external type for an array column. */
        private static scala.collection.Seq<Float> seq(List<Float> values) {
            return scala.collection.JavaConverters.asScalaBufferConverter(values).asScala().toSeq();
        }

        private List<Float> oneHot(int label) {
            List<Float> t = new ArrayList<>(classes);
            for (int c = 0; c < classes; c++) {
                t.add(c == label ? 1f : 0f);
            }
            return t;
        }
    }
}
