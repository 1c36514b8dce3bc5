package io.metagrad.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;

/**
 * What a pipeline run produced, reduced to what must be bitwise equal between runs: the selection table, the
 * DataComp {@code .npy} and the curated rows. Rows are compared by a canonical text in which every float and
 * double is its raw bit pattern, so {@code 0.0} and {@code -0.0}, or two NaNs, are told apart.
 */
record Outputs(List<String> selection, String npySha256, List<String> curated) {

    static Outputs read(SparkSession spark, String selectRun, String curateOutput, String icebergTable) {
        Dataset<Row> curated = icebergTable == null ? spark.read().parquet(curateOutput + "/curated") : spark.table(icebergTable);
        return new Outputs(canonical(spark.read().parquet(selectRun + "/selection").orderBy("rank")),
                sha256(spark, curateOutput + "/subset.npy"), canonical(curated.orderBy("uid")));
    }

    /** The selection only (a select run without curate). */
    static List<String> selection(SparkSession spark, String selectRun) {
        return canonical(spark.read().parquet(selectRun + "/selection").orderBy("rank"));
    }

    static List<String> canonical(Dataset<Row> rows) {
        StructField[] fields = rows.schema().fields();
        List<String> out = new ArrayList<>();
        for (Row r : rows.collectAsList()) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < fields.length; i++) {
                b.append(fields[i].name()).append('=').append(value(r.get(i))).append(';');
            }
            out.add(b.toString());
        }
        return out;
    }

    private static String value(Object v) {
        if (v instanceof Float f) {
            return "f" + Integer.toHexString(Float.floatToRawIntBits(f));
        }
        if (v instanceof Double d) {
            return "d" + Long.toHexString(Double.doubleToRawLongBits(d));
        }
        if (v instanceof byte[] bytes) {
            return HexFormat.of().formatHex(bytes);
        }
        if (v instanceof scala.collection.Seq<?> seq) {
            StringBuilder b = new StringBuilder("[");
            scala.collection.JavaConverters.seqAsJavaList(seq).forEach(x -> b.append(value(x)).append(','));
            return b.append(']').toString();
        }
        return String.valueOf(v);
    }

    static String sha256(SparkSession spark, String file) {
        Path p = new Path(file);
        try (InputStream in = p.getFileSystem(spark.sparkContext().hadoopConfiguration()).open(p)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(in.readAllBytes());
            return HexFormat.of().formatHex(d.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every file under {@code root} (recursively), for the credential check. */
    static List<Path> files(SparkSession spark, String root) {
        List<Path> out = new ArrayList<>();
        try {
            Path p = new Path(root);
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            var it = fs.listFiles(p, true);
            while (it.hasNext()) {
                out.add(it.next().getPath());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }
}
