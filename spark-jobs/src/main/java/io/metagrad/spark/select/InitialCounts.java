package io.metagrad.spark.select;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.metagrad.spark.io.AtomicOutput;
import io.metagrad.spark.io.ParquetFiles;
import io.metagrad.spark.io.TableManifest;
import io.metagrad.spark.io.TableSource;
import io.metagrad.spark.stream.IndexedPool;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The counts the pool items start an MGD run with (step 0): {@code --initial-count} for every item, or each
 * item's own from a table ({@code select --initial-counts TABLE}, which {@code MgdSelector.weightCol} writes):
 * columns {@code uid} and {@code count}, e.g. a previous run's {@code selection/} table. The table is joined with
 * the pool on uid by Spark (never collected): a pool item the table does not list starts at 0, a uid the pool
 * does not have or a uid listed twice is refused. A count must be a whole number (an int, a long or an integral
 * double or float) in {@code [0, max]} ({@link #maxCount}); 0 means the item starts excluded: it is trained on
 * with weight 0, SIGNED steps may raise it, PRUNE trains without it and never raises it. At least one count must be positive. Every
 * check fails before any step runs, naming the table, the column, the row's uid and the value.
 */
public final class InitialCounts {

    /** The column of {@code --initial-counts} holding the counts (as in {@code selection/}). */
    public static final String COLUMN = "count";

    private static final List<DataType> WHOLE_TYPES = List.of(DataTypes.ByteType, DataTypes.ShortType,
            DataTypes.IntegerType, DataTypes.LongType, DataTypes.FloatType, DataTypes.DoubleType);

    private final Dataset<Row> table;
    private final long kept;
    private final long total;
    private final String fingerprint;

    private InitialCounts(Dataset<Row> table, long kept, long total, String fingerprint) {
        this.table = table;
        this.kept = kept;
        this.total = total;
        this.fingerprint = fingerprint;
    }

    /** The starting counts of a run with {@code params} over {@code pool}, checked. */
    static InitialCounts of(SparkSession spark, SelectParams params, IndexedPool pool) {
        if (params.initialCounts() == null) {
            Dataset<Row> table = step0(pool.rows().select(col("row"), col("uid"), lit(params.initialCount()).as("count")));
            return new InitialCounts(table, pool.size(), pool.size() * params.initialCount(), null);
        }
        String path = params.initialCounts();
        String source = "--initial-counts " + path;
        Dataset<Row> rows = TableSource.rows(spark, path);
        requireValid(rows, "uid", COLUMN, source, maxCount(params));
        Dataset<Row> counts = rows.select(col("uid").cast("string").as("c_uid"), col(COLUMN).cast("double").cast("int").as("c_count"));
        requireInPool(counts, pool, source);
        Dataset<Row> joined = pool.rows().join(counts, pool.rows().col("uid").equalTo(counts.col("c_uid")), "left_outer")
                .select(col("row"), col("uid"), coalesce(col("c_count"), lit(0)).as("count"));
        Dataset<Row> table = step0(joined);
        Facts facts = Facts.of(table);
        if (facts.kept() == 0) {
            throw new IllegalArgumentException(source + ": every pool item's count is 0 (the table lists none of the "
                    + pool.size() + " pool items with a count > 0); at least one item must start included");
        }
        return new InitialCounts(table, facts.kept(), facts.total(), facts.fingerprint());
    }

    /**
     * The largest starting count: counts are ints and a SIGNED step raises one by at most {@code stepSize}, so
     * a start of at most {@code 2^31−1 − mgdSteps·stepSize} never overflows; PRUNE never raises a count.
     */
    public static long maxCount(SelectParams params) {
        long growth = params.update() == UpdateRule.PRUNE ? 0 : (long) params.mgdSteps() * params.stepSize();
        return Math.max(0, Integer.MAX_VALUE - growth);
    }

    /**
     * Fails, naming {@code source}, the column and its type, unless {@code schema} has {@code uidColumn} and a
     * whole-number-capable numeric {@code countColumn}.
     */
    public static void requireColumns(StructType schema, String uidColumn, String countColumn, String source) {
        List<String> names = List.of(schema.fieldNames());
        for (String c : List.of(uidColumn, countColumn)) {
            if (!names.contains(c)) {
                throw new IllegalArgumentException(source + " has no column '" + c + "'; columns: " + String.join(", ", names));
            }
        }
        DataType type = schema.apply(countColumn).dataType();
        if (!WHOLE_TYPES.contains(type)) {
            throw new IllegalArgumentException(source + " column '" + countColumn + "' has type " + type.simpleString()
                    + "; starting counts are whole numbers: int, bigint or an integral double");
        }
    }

    /**
     * Checks every row of {@code rows} with Spark (one pass, nothing collected but the first culprit): the uid
     * is present and the count is a whole number in {@code [0, max]}; then that no uid is listed twice.
     *
     * @param source what the rows are, for messages (e.g. {@code --initial-counts PATH}, {@code MgdSelector.weightCol})
     */
    public static void requireValid(Dataset<?> rows, String uidColumn, String countColumn, String source, long max) {
        requireColumns(rows.schema(), uidColumn, countColumn, source);
        Column uid = col(uidColumn).cast("string");
        Column v = col(countColumn).cast("double");
        Column bad = v.isNull().or(functions.isnan(v)).or(v.lt(0)).or(v.gt(max)).or(v.notEqual(functions.floor(v)));
        Row r = rows.agg(functions.count(when(uid.isNull(), 1)),
                functions.min(when(uid.isNotNull().and(bad), functions.struct(uid, col(countColumn).cast("string"))))).first();
        if (r.getLong(0) > 0) {
            throw new IllegalArgumentException(source + ": " + r.getLong(0) + " row(s) have a null '" + uidColumn
                    + "'; every row needs its item's uid");
        }
        if (!r.isNullAt(1)) {
            Row first = r.getStruct(1);
            throw new IllegalArgumentException(source + " column '" + countColumn + "' of uid '" + first.getString(0) + "' is "
                    + first.getString(1) + "; a starting count must be a whole number from 0 (the item starts excluded) to "
                    + max);
        }
        List<Row> twice = rows.groupBy(uid.as("uid")).count().where(col("count").gt(1)).orderBy(col("uid")).limit(1)
                .collectAsList();
        if (!twice.isEmpty()) {
            throw new IllegalArgumentException(source + ": uid '" + twice.get(0).getString(0) + "' is listed "
                    + twice.get(0).getLong(1) + " times; give each item's starting count once");
        }
    }

    /** Fails naming the first (by uid) of the uids in {@code counts} ({@code c_uid}) that the pool does not have. */
    private static void requireInPool(Dataset<Row> counts, IndexedPool pool, String source) {
        Dataset<Row> unknown = counts.join(pool.rows(), counts.col("c_uid").equalTo(pool.rows().col("uid")), "left_anti");
        Row r = unknown.agg(functions.count(lit(1)), functions.min(col("c_uid"))).first();
        if (r.getLong(0) > 0) {
            throw new IllegalArgumentException(source + ": uid '" + r.getString(1) + "'" + (r.getLong(0) > 1
                    ? " and " + (r.getLong(0) - 1) + " more are" : " is") + " not in the pool " + pool.source()
                    + "; starting counts are for pool items (an item the table does not list starts at 0)");
        }
    }

    /** Writes {@code rows} as an {@code --initial-counts} table at {@code path} (uid as a string, the count as given). */
    public static long write(Dataset<?> rows, String uidColumn, String countColumn, String path, String stage) {
        Configuration hadoop = rows.sparkSession().sparkContext().hadoopConfiguration();
        AtomicOutput out = AtomicOutput.to(path, hadoop, true);
        try {
            rows.select(col(uidColumn).cast("string").as("uid"), col(countColumn).as(COLUMN)).write().parquet(out.stagingPath());
            long n = ParquetFiles.rowCount(out.stagingPath(), hadoop);
            TableManifest.of(stage, "initial_counts").params(Map.of("uid", uidColumn, "count", countColumn)).rowCount(n)
                    .writeTo(out.stagingPath(), hadoop);
            out.commit();
            return n;
        } catch (Exception e) { // also SparkException, a checked exception Scala throws unchecked
            out.abort();
            throw e;
        }
    }

    /** The step-0 table: {@code uid, count, delta, metagrad, row, drawn} from columns {@code row, uid, count}. */
    private static Dataset<Row> step0(Dataset<Row> counts) {
        return counts.select(col("uid"), col("count"), lit(0).as("delta"), lit(null).cast(DataTypes.DoubleType).as("metagrad"),
                col("row"), lit(false).as("drawn"));
    }

    /** The step-0 table (every pool item, {@link SelectTables#MGD_STEP} and {@code drawn}). */
    Dataset<Row> table() {
        return table;
    }

    /** Items with a count &gt; 0 at the start. */
    long kept() {
        return kept;
    }

    /** The sum of the starting counts. */
    long total() {
        return total;
    }

    /** Whether the counts come from a table (not {@code --initial-count}). */
    boolean fromTable() {
        return fingerprint != null;
    }

    /** SHA-256 of every pool item's starting count (null for {@code --initial-count}): what a resumed run must share. */
    String fingerprint() {
        return fingerprint;
    }

    /** For the run's {@code _metagrad.json}: kept, total and (from a table) the fingerprint. */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kept", kept);
        m.put("total_count", total);
        if (fingerprint != null) {
            m.put("sha256", fingerprint);
        }
        return m;
    }

    /** Kept, total and a SHA-256 over every (uid, count) of the step-0 table, in one Spark pass. */
    private record Facts(long kept, long total, String fingerprint) {

        static Facts of(Dataset<Row> table) {
            List<Part> parts = table.select(col("uid"), col("count")).javaRDD().mapPartitions(Facts::part).collect();
            long kept = 0;
            long total = 0;
            long rows = 0;
            BigInteger sum = BigInteger.ZERO;
            for (Part p : parts) {
                kept += p.kept();
                total += p.total();
                rows += p.rows();
                sum = sum.add(p.sum());
            }
            MessageDigest all = sha256();
            all.update(sum.mod(MODULUS).toByteArray());
            all.update(ByteBuffer.allocate(8).putLong(rows).array());
            return new Facts(kept, total, HexFormat.of().formatHex(all.digest()));
        }

        /** Each row's digest added as a 256-bit number, so the sum does not depend on partitions or order. */
        private static Iterator<Part> part(Iterator<Row> rows) {
            MessageDigest d = sha256();
            BigInteger sum = BigInteger.ZERO;
            long kept = 0;
            long total = 0;
            long n = 0;
            while (rows.hasNext()) {
                Row r = rows.next();
                int count = r.getInt(1);
                d.update(r.getString(0).getBytes(StandardCharsets.UTF_8));
                d.update((byte) 0);
                d.update(ByteBuffer.allocate(4).putInt(count).array());
                sum = sum.add(new BigInteger(1, d.digest()));
                kept += count > 0 ? 1 : 0;
                total += count;
                n++;
            }
            return List.of(new Part(sum.mod(MODULUS), kept, total, n)).iterator();
        }
    }

    private record Part(BigInteger sum, long kept, long total, long rows) implements java.io.Serializable {}

    private static final BigInteger MODULUS = BigInteger.ONE.shiftLeft(256);

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
