package io.metagrad.spark.stream;

import static org.apache.spark.sql.functions.col;

import io.metagrad.spark.io.FeatureTables;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * A pool features table as Spark sees it at any size: checked row by row by Spark
 * ({@link FeatureTables#checked}), each item given a dense id {@code row} in uid order (the order
 * in which in-memory code holds the pool, so both number items alike), and described by a few facts
 * computed by Spark — never collected to the driver. The rows are persisted on local disk while the
 * pool is in use ({@link #close} releases them).
 */
public final class IndexedPool implements AutoCloseable {

    /** Columns of {@link #rows()}. */
    public static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("row", DataTypes.IntegerType, false),
        DataTypes.createStructField("uid", DataTypes.StringType, false),
        DataTypes.createStructField("features", DataTypes.createArrayType(DataTypes.FloatType, true), false),
        DataTypes.createStructField("label", DataTypes.IntegerType, true),
        DataTypes.createStructField("target", DataTypes.createArrayType(DataTypes.FloatType, true), true),
    });

    /** The columns of {@link #SCHEMA}, for {@code select} after a join. */
    public static org.apache.spark.sql.Column[] columns() {
        return java.util.Arrays.stream(SCHEMA.fieldNames()).map(functions::col).toArray(org.apache.spark.sql.Column[]::new);
    }

    private final String source;
    private final Dataset<Row> rows;
    private final long size;
    private final int width;
    private final int targetWidth;
    private final int maxLabel;
    private final boolean fullyLabeled;
    private final String fingerprint;

    private IndexedPool(String source, Dataset<Row> rows, long size, int width, int targetWidth, int maxLabel,
            boolean fullyLabeled, String fingerprint) {
        this.source = source;
        this.rows = rows;
        this.size = size;
        this.width = width;
        this.targetWidth = targetWidth;
        this.maxLabel = maxLabel;
        this.fullyLabeled = fullyLabeled;
        this.fingerprint = fingerprint;
    }

    /** The checked, indexed pool at {@code path}; fails naming the file, row and field of the first bad row. */
    public static IndexedPool of(SparkSession spark, String path) {
        Dataset<Row> checked = FeatureTables.checkedValues(spark, path)
                .select(col("uid"), col("features"), col("label"), col("target"));
        JavaRDD<Row> indexed = checked.orderBy(col("uid")).javaRDD().zipWithIndex().map(p -> {
            if (p._2() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("features table " + path + " has more than " + Integer.MAX_VALUE + " rows");
            }
            Row r = p._1();
            return RowFactory.create(p._2().intValue(), r.get(0), r.get(1), r.get(2), r.get(3));
        });
        Dataset<Row> rows = spark.createDataFrame(indexed, SCHEMA).persist(StorageLevel.DISK_ONLY());
        Row facts = rows.agg(functions.count(functions.lit(1)), functions.max(functions.size(col("features"))),
                functions.max(functions.size(col("target"))), functions.max(col("label")),
                functions.count(col("label"))).first();
        long size = facts.getLong(0);
        if (size == 0) {
            rows.unpersist();
            throw new IllegalArgumentException("features table " + path + " has no rows");
        }
        int targetWidth = facts.isNullAt(2) ? 0 : Math.max(0, facts.getInt(2));
        int maxLabel = facts.isNullAt(3) ? -1 : facts.getInt(3);
        String fingerprint;
        try {
            fingerprint = fingerprintOfUniqueRows(rows, size);
        } catch (DuplicateUid d) {
            rows.unpersist();
            throw FeatureTables.duplicateUid(spark, path, d.uid);
        }
        return new IndexedPool(path, rows, size, facts.getInt(1), targetWidth, maxLabel, facts.getLong(4) == size, fingerprint);
    }

    /** Two rows share a uid (found next to each other in uid order). */
    private static final class DuplicateUid extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String uid;

        DuplicateUid(String uid) {
            super("uid " + uid + " appears twice", null, false, false);
            this.uid = uid;
        }
    }

    /** What one partition of the indexed rows (consecutive rows, in uid order) contributes to the fingerprint. */
    private record PartDigest(int partition, BigInteger sum, String firstUid, String lastUid, String duplicate)
            implements java.io.Serializable {}

    /**
     * A SHA-256 over every row's uid, features, label and target that does not depend on how the table
     * is split into files or partitions: each row's digest is added as a 256-bit number (uids are
     * unique, so this identifies the set of rows), and the sum is hashed with the row count. Identifies
     * the input a run was made from. The same pass finds duplicate uids: in uid order they are
     * neighbours, inside a partition or across the boundary of two consecutive ones.
     */
    private static String fingerprintOfUniqueRows(Dataset<Row> rows, long size) {
        List<PartDigest> parts = new java.util.ArrayList<>(rows.javaRDD().mapPartitionsWithIndex(IndexedPool::digest, true)
                .collect());
        parts.sort(java.util.Comparator.comparingInt(PartDigest::partition));
        BigInteger sum = BigInteger.ZERO;
        String previous = null;
        for (PartDigest p : parts) {
            if (p.duplicate() != null) {
                throw new DuplicateUid(p.duplicate());
            }
            if (previous != null && previous.equals(p.firstUid())) {
                throw new DuplicateUid(previous);
            }
            previous = p.lastUid() != null ? p.lastUid() : previous;
            sum = sum.add(p.sum());
        }
        MessageDigest all = sha256();
        all.update(sum.mod(MODULUS).toByteArray());
        all.update(ByteBuffer.allocate(8).putLong(size).array());
        return HexFormat.of().formatHex(all.digest());
    }

    private static final BigInteger MODULUS = BigInteger.ONE.shiftLeft(256);

    private static Iterator<PartDigest> digest(int partition, Iterator<Row> rows) {
        BigInteger sum = BigInteger.ZERO;
        String first = null;
        String last = null;
        String duplicate = null;
        MessageDigest d = sha256();
        ByteBuffer b = ByteBuffer.allocate(1 << 12);
        while (rows.hasNext()) {
            Row r = rows.next();
            String uid = r.getString(1);
            if (last != null && last.equals(uid) && duplicate == null) {
                duplicate = uid;
            }
            first = first == null ? uid : first;
            last = uid;
            byte[] u = uid.getBytes(StandardCharsets.UTF_8);
            List<Float> x = r.getList(2);
            List<Float> t = r.isNullAt(4) ? List.of() : r.getList(4);
            int bytes = u.length + 1 + 4 * (x.size() + 1 + t.size());
            if (b.capacity() < bytes) {
                b = ByteBuffer.allocate(bytes);
            }
            b.clear().put(u).put((byte) 0);
            for (Float v : x) {
                b.putInt(Float.floatToIntBits(v));
            }
            b.putInt(r.isNullAt(3) ? -1 : r.getInt(3));
            for (Float v : t) {
                b.putInt(Float.floatToIntBits(v));
            }
            d.update(b.array(), 0, b.position());
            sum = sum.add(new BigInteger(1, d.digest()));
        }
        return List.of(new PartDigest(partition, sum.mod(MODULUS), first, last, duplicate)).iterator();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** The uid of the first row (in row order) where {@code condition} holds, if any: for messages that name a culprit. */
    public java.util.Optional<String> firstUid(org.apache.spark.sql.Column condition) {
        List<Row> first = rows.where(condition).orderBy(col("row")).select(col("uid")).limit(1).collectAsList();
        return first.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(first.get(0).getString(0));
    }

    /** The distinct class labels the pool has (a set as small as the number of classes). */
    public java.util.Set<Integer> labels() {
        java.util.Set<Integer> labels = new java.util.TreeSet<>();
        for (Row r : rows.where(col("label").isNotNull()).select(col("label")).distinct().collectAsList()) {
            labels.add(r.getInt(0));
        }
        return labels;
    }

    /** Where the pool was read from (for messages). */
    public String source() { return source; }

    /** Columns {@code row, uid, features, label, target} ({@link #SCHEMA}); {@code row} runs over {@code 0 … size-1} in uid order. */
    public Dataset<Row> rows() { return rows; }

    public long size() { return size; }

    /** Feature width. */
    public int width() { return width; }

    /** Target-vector width (0 without). */
    public int targetWidth() { return targetWidth; }

    /** Largest class id, or -1 when no row has a label. */
    public int maxLabel() { return maxLabel; }

    /** Whether every row has a label. */
    public boolean fullyLabeled() { return fullyLabeled; }

    /** SHA-256 of the rows; see {@link #fingerprint(Dataset)}. */
    public String fingerprint() { return fingerprint; }

    @Override
    public void close() {
        rows.unpersist();
    }
}
