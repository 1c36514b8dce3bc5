package io.metagrad.spark.attribute;

import static org.apache.spark.sql.functions.col;

import io.metagrad.core.data.TrainingData;
import io.metagrad.spark.io.FeatureTables;
import io.metagrad.spark.io.Inputs;
import io.metagrad.spark.stream.IndexedPool;
import io.metagrad.spark.stream.Layout;
import io.metagrad.spark.stream.LayoutWriter;
import io.metagrad.spark.train.FeatureRows;
import io.metagrad.spark.train.RunSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training pool and the targets of an {@code attribute} or {@code validate} run, at any pool
 * size: the pool checked and numbered by Spark ({@link IndexedPool}; row {@code i} is the
 * {@code i}-th uid, as in memory), never collected; the targets, small by nature, read on the driver.
 * Both are checked against the model before any work. {@link #layOut} writes the pool in the
 * training order for the tasks to stream. Close it to release the pool's persisted rows.
 */
final class AttributionPool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AttributionPool.class);

    /** Where a run keeps its scratch files inside its staging directory (removed before the commit). */
    private static final String WORK = "_work";

    private final IndexedPool pool;
    private final FeatureRows targets;
    private final RunSpec spec;
    private final boolean labels;

    private AttributionPool(IndexedPool pool, FeatureRows targets, RunSpec spec, boolean labels) {
        this.pool = pool;
        this.targets = targets;
        this.spec = spec;
        this.labels = labels;
    }

    /**
     * Reads and checks the tables of {@code setup}: the pool rows by Spark, the first
     * {@code setup.maxTargets()} targets (uid order) on the driver. Fails naming the table, uid and
     * field at fault.
     */
    static AttributionPool read(SparkSession spark, AttributionSetup setup) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Inputs.requireTable(setup.train(), "--train", hadoop);
        Inputs.requireTable(setup.targets(), "--targets", hadoop);
        FeatureRows all = FeatureRows.of(FeatureTables.read(spark, setup.targets()), setup.targets());
        IndexedPool pool = IndexedPool.of(spark, setup.train());
        try {
            boolean labels = !setup.training().pairsFeaturesWithTargets();
            int outputDim = labels ? classes(pool, all, setup.classes()) : requireTargetVectors(pool);
            RunSpec spec = new RunSpec(setup.training(), setup.knobs(), pool.width(), outputDim);
            TrainingData data = spec.data(all); // bad target labels or missing target vectors fail here, naming the uid
            if (data.inputDim() != spec.inputDim() || data.targetDim() != spec.outputDim()) {
                throw new IllegalArgumentException("target table " + setup.targets() + " has widths (" + data.inputDim() + ", "
                        + data.targetDim() + ") but the training table " + setup.train() + " has (" + spec.inputDim() + ", "
                        + spec.outputDim() + ")");
            }
            if (setup.training().batchSize() > pool.size()) {
                throw new IllegalArgumentException("--batch-size " + setup.training().batchSize() + " exceeds the "
                        + pool.size() + " rows of " + setup.train());
            }
            warnIfItemsGoUnexamined(spec, pool.size());
            return new AttributionPool(pool, all.first(setup.maxTargets()), spec, labels);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** A run of T steps of B items sees only T·B of them: the others are never trained on, and their influence is 0. */
    private static void warnIfItemsGoUnexamined(RunSpec spec, long poolSize) {
        var config = spec.baseConfig(poolSize);
        long seen = (long) config.steps() * config.batchSize();
        if (seen < poolSize) {
            LOG.warn("{} training steps of {} examples see {} of the {} training examples; the other {} are never trained on"
                    + " and get influence 0 (raise --train-steps, or use --epochs 1 or more)", config.steps(), config.batchSize(),
                    seen, poolSize, poolSize - seen);
        }
    }

    /** The classes of a labelled run; every pool row must carry a label below it. */
    private static int classes(IndexedPool pool, FeatureRows targets, int classes) {
        int c = io.metagrad.spark.train.Classes.of(classes, pool.maxLabel(), targets.maxLabel());
        if (!pool.fullyLabeled()) {
            throw badLabel(pool, pool.firstUid(col("label").isNull()).orElseThrow(), "null", c);
        }
        if (pool.maxLabel() >= c) {
            throw badLabel(pool, pool.firstUid(col("label").geq(c)).orElseThrow(), String.valueOf(pool.maxLabel()), c);
        }
        return c;
    }

    private static IllegalArgumentException badLabel(IndexedPool pool, String uid, String label, int classes) {
        return new IllegalArgumentException("features table " + pool.source() + " uid " + uid + ": field 'label' = " + label
                + " invalid; must be in [0, " + classes + ")");
    }

    /** The text-embedding width of a CLIP run, which pairs every pool row with its target vector. */
    private static int requireTargetVectors(IndexedPool pool) {
        if (pool.targetWidth() == 0) {
            throw new IllegalArgumentException("features table " + pool.source() + " has no 'target' vectors");
        }
        return pool.targetWidth();
    }

    /** Scratch directory of a run staged at {@code staging}. */
    static String workDir(String staging) {
        return new Path(staging, WORK).toString();
    }

    /** Removes the scratch directory of a run staged at {@code staging} (before its commit). */
    static void deleteWork(String staging, Configuration hadoop) {
        Path work = new Path(staging, WORK);
        try {
            work.getFileSystem(hadoop).delete(work, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + work, e);
        }
    }

    /**
     * Lays the pool out in the training order (one pass per epoch of the run) under the scratch
     * directory of {@code staging}, and returns what the tasks need.
     */
    TaskInputs layOut(SparkSession spark, String staging) {
        String dir = new Path(workDir(staging), "layout").toString();
        long seed = spec.baseConfig(pool.size()).seed();
        Layout layout = LayoutWriter.write(spark, pool, pool.rows(), pool.size(), dir, List.of(seed), spec.epochs(pool.size()),
                labels ? 0 : pool.targetWidth());
        return new TaskInputs(spec, targets, labels, layout, dir);
    }

    IndexedPool pool() {
        return pool;
    }

    /** The targets, uid order. */
    FeatureRows targets() {
        return targets;
    }

    RunSpec spec() {
        return spec;
    }

    @Override
    public void close() {
        pool.close();
    }
}
