package io.metagrad.spark.ml;

import static org.apache.spark.sql.functions.col;

import io.metagrad.core.tensor.Precision;
import io.metagrad.spark.select.FilterParams;
import io.metagrad.spark.select.InitialCounts;
import io.metagrad.spark.select.Method;
import io.metagrad.spark.select.SelectJob;
import io.metagrad.spark.select.SelectMethods;
import io.metagrad.spark.select.SelectParams;
import io.metagrad.spark.select.UpdateRule;
import io.metagrad.spark.train.TrainingOptions;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Locale;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * MGD data selection as a Spark ML {@link Estimator}: put it in a {@code Pipeline} after
 * {@code VectorAssembler} and {@code StringIndexer}; {@code fit} runs exactly the distributed MGD of
 * {@code mgd select} ({@link SelectJob#run}) on the fitted dataset as the pool and returns an
 * {@link MgdSelectionModel} that weighs or filters any dataset with the uid column.
 *
 * <p>The target set (what the selection should help) is one of: the rows of the fitted dataset where the
 * boolean {@code targetCol} is true (they then pass through the same pipeline stages as the pool, so
 * features and label ids agree), a features table at {@code targetPath}, or a dataset given with
 * {@link #setTargetData} (with the same feature, label and uid columns). The pool and target are written as
 * features tables under {@code workDir} and the run directory is {@code workDir/run}: a killed or repeated
 * {@code fit} with the same data and parameters resumes that run ({@code overwrite} replaces it instead).
 *
 * <p>Parameters are those of {@code mgd select} (same names in camel case, same defaults); {@code keep} or
 * {@code keepFraction} is the budget. {@code method} is {@code select --method}: {@code mgd} (default),
 * {@code mgd-prune}, a scoring baseline ({@code random}, {@code loss}, {@code clip-score}, {@code grad-sim},
 * {@code influence}) or a DataComp filter ({@code none}, {@code basic}, {@code text-based}, {@code image-based},
 * {@code clip-score} with {@code scoreColumn}, {@code clip-image}; {@code metadataPath} is the ingested pool table
 * they read, {@code promptsPath} the class prompts of {@code text-based}); {@code fit} runs it through
 * {@link SelectMethods}, the command's own dispatch, so the selection is the command's.
 *
 * <p>{@code weightCol} (Spark ML's instance-weight idiom) gives each pool row its own starting count instead of
 * {@code initialCount}: {@code fit} checks it ({@link InitialCounts#requireValid}: whole numbers &gt;= 0, 0 = starts
 * excluded) before writing anything, writes it as {@code workDir/initial_counts} and runs {@code select
 * --initial-counts} on that table, the command's own path.
 */
public final class MgdSelector extends Estimator<MgdSelectionModel> implements DefaultParamsWritable {

    private static final long serialVersionUID = 1L;

    private final String uid;
    private transient Dataset<?> targetData;

    private final Param<String> featuresCol;
    private final Param<String> labelCol;
    private final Param<String> uidCol;
    private final Param<String> countCol;
    private final Param<String> weightCol;
    private final Param<String> targetCol;
    private final Param<String> targetPath;
    private final Param<String> heldoutPath;
    private final Param<String> workDir;
    private final BooleanParam overwrite;
    private final Param<String> device;
    // method
    private final Param<String> method;
    private final Param<String> scoreColumn;
    private final Param<String> metadataPath;
    private final Param<String> promptsPath;
    private final IntParam clusters;
    // budget
    private final LongParam keep;
    private final DoubleParam keepFraction;
    // MGD
    private final Param<String> update;
    private final IntParam mgdSteps;
    private final IntParam stepSize;
    private final DoubleParam maskProbability;
    private final DoubleParam pruneFraction;
    private final DoubleParam heldoutFraction;
    private final IntParam replicas;
    private final IntParam replayK;
    private final LongParam seed;
    private final IntParam initialCount;
    private final IntParam classes;
    // training
    private final Param<String> model;
    private final Param<String> hidden;
    private final DoubleParam lr;
    private final Param<String> schedule;
    private final IntParam warmupSteps;
    private final DoubleParam momentum;
    private final DoubleParam weightDecay;
    private final IntParam batchSize;
    private final IntParam trainSteps;
    private final IntParam epochs;
    private final LongParam trainSeed;
    private final Param<String> precision;

    public MgdSelector() {
        this(org.apache.spark.ml.util.Identifiable$.MODULE$.randomUID("mgdSelector"));
    }

    /** With a given uid; how Spark ML's readers make an instance. */
    public MgdSelector(String uid) {
        this.uid = uid; // before the params: each records its parent's uid
        featuresCol = new Param<>(this, "featuresCol", "features column: a Vector or a numeric array");
        labelCol = new Param<>(this, "labelCol", "class id column (StringIndexer's output)");
        uidCol = new Param<>(this, "uidCol", "column naming each row uniquely");
        countCol = new Param<>(this, "countCol", "column the model adds: each row's MGD count");
        weightCol = new Param<>(this, "weightCol", "column of each pool row's starting count: a whole number >= 0, 0 = starts"
                + " excluded (select --initial-counts; default: initialCount for every row)");
        targetCol = new Param<>(this, "targetCol",
            "boolean column marking the target rows of the fitted dataset (the others are the pool)");
        targetPath = new Param<>(this, "targetPath", "target set as a features table path");
        heldoutPath = new Param<>(this, "heldoutPath",
            "held-out features table picking the best iterate (default: heldoutFraction of the target)");
        workDir = new Param<>(this, "workDir",
            "directory every executor can read where the pool, target and run are written");
        overwrite = new BooleanParam(this, "overwrite", "replace the run in workDir instead of resuming it");
        device = new Param<>(this, "device", "where replicas train: cpu or gpu (mgd.device)");
        method = new Param<>(this, "method", "select --method: mgd, mgd-prune, random, loss, clip-score, grad-sim,"
            + " influence, none, basic, text-based, image-based, clip-image");
        scoreColumn = new Param<>(this, "scoreColumn",
            "numeric metadataPath column clip-score and clip-image rank by (select --score-column)");
        metadataPath = new Param<>(this, "metadataPath",
            "ingested pool table the DataComp filters read: text, image sizes, scores (select --metadata)");
        promptsPath = new Param<>(this, "promptsPath", "class-prompts table (select --prompts): text-based, CLIP head");
        clusters = new IntParam(this, "clusters", "KMeans clusters of image-based and clip-image (select --clusters)");
        keep = new LongParam(this, "keep", "keep exactly this many items (0: no limit)");
        keepFraction = new DoubleParam(this, "keepFraction", "keep this fraction of the pool (0: no limit)");
        update = new Param<>(this, "update", "count update: signed or prune");
        mgdSteps = new IntParam(this, "mgdSteps", "MGD steps S (signed)");
        stepSize = new IntParam(this, "stepSize", "count change m per step");
        maskProbability = new DoubleParam(this, "maskProbability", "Bernoulli mask probability p");
        pruneFraction = new DoubleParam(this, "pruneFraction", "share pruned per step (prune)");
        heldoutFraction = new DoubleParam(this, "heldoutFraction",
            "share of the target held out (default: 0.5 signed, 0 prune)");
        replicas = new IntParam(this, "replicas", "training replicas per step");
        replayK = new IntParam(this, "replayK", "REPLAY k (0: √T)");
        seed = new LongParam(this, "seed", "MGD seed (masks)");
        initialCount = new IntParam(this, "initialCount", "every item's count at step 0");
        classes = new IntParam(this, "classes", "classes (0: infer from the labels)");
        model = new Param<>(this, "model", "model on the features: logistic or mlp");
        hidden = new Param<>(this, "hidden", "MLP hidden widths, comma-separated");
        lr = new DoubleParam(this, "lr", "peak learning rate");
        schedule = new Param<>(this, "schedule", "constant, cosine or linear");
        warmupSteps = new IntParam(this, "warmupSteps", "linear warmup steps");
        momentum = new DoubleParam(this, "momentum", "SGD momentum");
        weightDecay = new DoubleParam(this, "weightDecay", "coupled weight decay");
        batchSize = new IntParam(this, "batchSize", "examples per training step");
        trainSteps = new IntParam(this, "trainSteps", "training steps T");
        epochs = new IntParam(this, "epochs", "passes over the training set instead of trainSteps (0: off)");
        trainSeed = new LongParam(this, "trainSeed", "training seed (initial parameters, batch order)");
        precision = new Param<>(this, "precision", "float32 or float64");
        TrainingOptions t = TrainingOptions.defaults();
        SelectParams s = SelectParams.builder("pool", "target", "output").build();
        setDefault(featuresCol, "features");
        setDefault(labelCol, "label");
        setDefault(uidCol, "uid");
        setDefault(countCol, MgdSelectionModel.DEFAULT_COUNT_COL);
        setDefault(overwrite, false);
        setDefault(method, Method.MGD.cliName());
        setDefault(clusters, FilterParams.none().clusters());
        setDefault(keep, 0L);
        setDefault(keepFraction, 0.0);
        setDefault(update, s.update().cliName());
        setDefault(mgdSteps, s.mgdSteps());
        setDefault(stepSize, s.stepSize());
        setDefault(maskProbability, s.maskProbability());
        setDefault(pruneFraction, s.pruneFraction());
        setDefault(replicas, s.replicas());
        setDefault(replayK, s.replayK());
        setDefault(seed, s.seed());
        setDefault(initialCount, s.initialCount());
        setDefault(classes, s.classes());
        setDefault(model, t.model().name().toLowerCase(Locale.ROOT));
        setDefault(hidden, String.join(",", Arrays.stream(t.hidden()).mapToObj(String::valueOf).toList()));
        setDefault(lr, t.lr());
        setDefault(schedule, t.schedule().name().toLowerCase(Locale.ROOT));
        setDefault(warmupSteps, t.warmupSteps());
        setDefault(momentum, t.momentum());
        setDefault(weightDecay, t.weightDecay());
        setDefault(batchSize, t.batchSize());
        setDefault(trainSteps, t.steps());
        setDefault(epochs, t.epochs());
        setDefault(trainSeed, t.seed());
        setDefault(precision, t.precision().name().toLowerCase(Locale.ROOT));
    }

    @Override
    public String uid() {
        return uid;
    }

    // Spark ML finds params through public no-argument methods returning them.
    public Param<String> featuresCol() { return featuresCol; }
    public Param<String> labelCol() { return labelCol; }
    public Param<String> uidCol() { return uidCol; }
    public Param<String> countCol() { return countCol; }
    public Param<String> weightCol() { return weightCol; }
    public Param<String> targetCol() { return targetCol; }
    public Param<String> targetPath() { return targetPath; }
    public Param<String> heldoutPath() { return heldoutPath; }
    public Param<String> workDir() { return workDir; }
    public BooleanParam overwrite() { return overwrite; }
    public Param<String> device() { return device; }
    public Param<String> method() { return method; }
    public Param<String> scoreColumn() { return scoreColumn; }
    public Param<String> metadataPath() { return metadataPath; }
    public Param<String> promptsPath() { return promptsPath; }
    public IntParam clusters() { return clusters; }
    public LongParam keep() { return keep; }
    public DoubleParam keepFraction() { return keepFraction; }
    public Param<String> update() { return update; }
    public IntParam mgdSteps() { return mgdSteps; }
    public IntParam stepSize() { return stepSize; }
    public DoubleParam maskProbability() { return maskProbability; }
    public DoubleParam pruneFraction() { return pruneFraction; }
    public DoubleParam heldoutFraction() { return heldoutFraction; }
    public IntParam replicas() { return replicas; }
    public IntParam replayK() { return replayK; }
    public LongParam seed() { return seed; }
    public IntParam initialCount() { return initialCount; }
    public IntParam classes() { return classes; }
    public Param<String> model() { return model; }
    public Param<String> hidden() { return hidden; }
    public DoubleParam lr() { return lr; }
    public Param<String> schedule() { return schedule; }
    public IntParam warmupSteps() { return warmupSteps; }
    public DoubleParam momentum() { return momentum; }
    public DoubleParam weightDecay() { return weightDecay; }
    public IntParam batchSize() { return batchSize; }
    public IntParam trainSteps() { return trainSteps; }
    public IntParam epochs() { return epochs; }
    public LongParam trainSeed() { return trainSeed; }
    public Param<String> precision() { return precision; }

    public MgdSelector setFeaturesCol(String v) { set(featuresCol, v); return this; }
    public MgdSelector setLabelCol(String v) { set(labelCol, v); return this; }
    public MgdSelector setUidCol(String v) { set(uidCol, v); return this; }
    public MgdSelector setCountCol(String v) { set(countCol, v); return this; }
    public MgdSelector setWeightCol(String v) { set(weightCol, v); return this; }
    public String getWeightCol() { return value(weightCol); }
    public MgdSelector setTargetCol(String v) { set(targetCol, v); return this; }
    public MgdSelector setTargetPath(String v) { set(targetPath, v); return this; }
    public MgdSelector setHeldoutPath(String v) { set(heldoutPath, v); return this; }
    public MgdSelector setWorkDir(String v) { set(workDir, v); return this; }
    public MgdSelector setOverwrite(boolean v) { set(overwrite, v); return this; }
    public MgdSelector setDevice(String v) { set(device, v); return this; }
    public MgdSelector setMethod(String v) { set(method, v); return this; }
    public MgdSelector setScoreColumn(String v) { set(scoreColumn, v); return this; }
    public MgdSelector setMetadataPath(String v) { set(metadataPath, v); return this; }
    public MgdSelector setPromptsPath(String v) { set(promptsPath, v); return this; }
    public MgdSelector setClusters(int v) { set(clusters, v); return this; }
    public MgdSelector setKeep(long v) { set(keep, v); return this; }
    public MgdSelector setKeepFraction(double v) { set(keepFraction, v); return this; }
    public MgdSelector setUpdate(String v) { set(update, v); return this; }
    public MgdSelector setMgdSteps(int v) { set(mgdSteps, v); return this; }
    public MgdSelector setStepSize(int v) { set(stepSize, v); return this; }
    public MgdSelector setMaskProbability(double v) { set(maskProbability, v); return this; }
    public MgdSelector setPruneFraction(double v) { set(pruneFraction, v); return this; }
    public MgdSelector setHeldoutFraction(double v) { set(heldoutFraction, v); return this; }
    public MgdSelector setReplicas(int v) { set(replicas, v); return this; }
    public MgdSelector setReplayK(int v) { set(replayK, v); return this; }
    public MgdSelector setSeed(long v) { set(seed, v); return this; }
    public MgdSelector setInitialCount(int v) { set(initialCount, v); return this; }
    public MgdSelector setClasses(int v) { set(classes, v); return this; }
    public MgdSelector setModel(String v) { set(model, v); return this; }
    public MgdSelector setHidden(String v) { set(hidden, v); return this; }
    public MgdSelector setLr(double v) { set(lr, v); return this; }
    public MgdSelector setSchedule(String v) { set(schedule, v); return this; }
    public MgdSelector setWarmupSteps(int v) { set(warmupSteps, v); return this; }
    public MgdSelector setMomentum(double v) { set(momentum, v); return this; }
    public MgdSelector setWeightDecay(double v) { set(weightDecay, v); return this; }
    public MgdSelector setBatchSize(int v) { set(batchSize, v); return this; }
    public MgdSelector setTrainSteps(int v) { set(trainSteps, v); return this; }
    public MgdSelector setEpochs(int v) { set(epochs, v); return this; }
    public MgdSelector setTrainSeed(long v) { set(trainSeed, v); return this; }
    public MgdSelector setPrecision(String v) { set(precision, v); return this; }

    /**
     * The target set as a dataset with this selector's feature, label and uid columns (not a param: it is not
     * saved with the selector; {@code targetCol} or {@code targetPath} are).
     */
    public MgdSelector setTargetData(Dataset<?> v) { targetData = v; return this; }

    @Override
    public MgdSelectionModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        SparkSession spark = dataset.sparkSession();
        MlFeatureTable table = new MlFeatureTable(value(featuresCol), value(labelCol), value(uidCol));
        String dir = resolvedWorkDir(spark);
        String pool = new Path(dir, "pool").toString();
        String target = new Path(dir, "target").toString();
        String run = new Path(dir, "run").toString();
        Dataset<?> poolRows = isDefined(targetCol) ? dataset.toDF().where(
                col(value(targetCol)).isNull().or(col(value(targetCol)).equalTo(false))) : dataset;
        String counts = isDefined(weightCol) ? new Path(dir, "initial_counts").toString() : null;
        if (counts != null) {
            // checked on the caller's columns (named in the message) before anything is written; select checks the table again
            InitialCounts.requireValid(poolRows, value(uidCol), value(weightCol), "MgdSelector.weightCol",
                    InitialCounts.maxCount(selectParams(pool, target, run, counts)));
        }
        if (isDefined(targetCol)) {
            table.write(dataset.toDF().where(col(value(targetCol)).equalTo(true)), target, "ml:MgdSelector target");
        } else if (targetData != null) {
            table.requireColumns(targetData.schema(), "target data");
            table.write(targetData, target, "ml:MgdSelector target");
        } else {
            target = value(targetPath);
        }
        table.write(poolRows, pool, "ml:MgdSelector pool");
        if (counts != null) {
            InitialCounts.write(poolRows, value(uidCol), value(weightCol), counts, "ml:MgdSelector initial counts");
        }
        SelectParams params = selectParams(pool, target, run, counts);
        Method chosen = Method.parse(value(method));
        SelectJob.Result result = withDevice(spark, () -> SelectMethods.run(spark, chosen, params, filterParams()));
        MgdSelectionModel m = new MgdSelectionModel(uid, spark.read().parquet(result.selectionPath()),
                MgdSelectionModel.provenanceOf(result.selectionPath(), spark));
        m.setUidCol(value(uidCol)).setCountCol(value(countCol));
        return m.setParent(this);
    }

    /** The parameters of the {@code select} run this selector makes over the given tables, every item starting at initialCount. */
    public SelectParams selectParams(String pool, String target, String output) {
        return selectParams(pool, target, output, null);
    }

    /**
     * The parameters of the {@code select} run this selector makes over the given tables, each item starting from its
     * count in {@code initialCounts} ({@code select --initial-counts}; null: initialCount for every item).
     */
    public SelectParams selectParams(String pool, String target, String output, String initialCounts) {
        TrainingOptions training = new TrainingOptions(
                enumOf(TrainingOptions.ModelKind.class, model), widths(value(hidden)), TrainingOptions.defaults().projectionDim(),
                (Double) value(lr), enumOf(TrainingOptions.ScheduleKind.class, schedule), (Integer) value(warmupSteps),
                (Double) value(momentum), (Double) value(weightDecay), (Integer) value(batchSize), (Integer) value(trainSteps),
                (Long) value(trainSeed), enumOf(Precision.class, precision), (Integer) value(epochs));
        UpdateRule rule = Method.parse(value(method)) == Method.MGD_PRUNE ? UpdateRule.PRUNE : enumOf(UpdateRule.class, update);
        SelectParams.Builder b = SelectParams.builder(pool, target, output).training(training)
                .update(rule).mgdSteps((Integer) value(mgdSteps)).stepSize((Integer) value(stepSize))
                .maskProbability((Double) value(maskProbability)).pruneFraction((Double) value(pruneFraction))
                .replicas((Integer) value(replicas)).replayK((Integer) value(replayK)).seed((Long) value(seed))
                .initialCount((Integer) value(initialCount)).initialCounts(initialCounts).classes((Integer) value(classes)).keep((Long) value(keep))
                .keepFraction((Double) value(keepFraction)).overwrite((Boolean) value(overwrite));
        if (isDefined(heldoutFraction)) {
            b.heldoutFraction((Double) value(heldoutFraction));
        }
        if (isDefined(heldoutPath)) {
            b.heldout(value(heldoutPath));
        }
        if (isDefined(promptsPath)) {
            b.prompts(value(promptsPath));
        }
        return b.build();
    }

    /** What the DataComp filters read beyond the features tables ({@code select --metadata/--score-column/--clusters}). */
    public FilterParams filterParams() {
        return new FilterParams(isDefined(metadataPath) ? value(metadataPath) : null,
                isDefined(scoreColumn) ? value(scoreColumn) : null, (Integer) value(clusters));
    }

    @Override
    public StructType transformSchema(StructType schema) {
        int sources = (isDefined(targetCol) ? 1 : 0) + (isDefined(targetPath) ? 1 : 0) + (targetData != null ? 1 : 0);
        if (sources != 1) {
            throw new IllegalArgumentException("MgdSelector needs exactly one target set: targetCol, targetPath or"
                    + " setTargetData (" + sources + " given)");
        }
        Method.parse(value(method)); // an unknown method fails before any work
        new MlFeatureTable(value(featuresCol), value(labelCol), value(uidCol)).requireColumns(schema, "dataset");
        if (isDefined(targetCol) && !java.util.Arrays.asList(schema.fieldNames()).contains(value(targetCol))) {
            throw new IllegalArgumentException("dataset has no column '" + value(targetCol) + "' (targetCol)");
        }
        if (isDefined(weightCol)) {
            if (isSet(initialCount)) {
                throw new IllegalArgumentException("MgdSelector: set weightCol (each row's starting count) or initialCount"
                        + " (every row's), not both");
            }
            if (!Method.parse(value(method)).updateRule().isPresent()) {
                throw new IllegalArgumentException("MgdSelector.weightCol is for method mgd and mgd-prune; method "
                        + value(method) + " does not start from counts");
            }
            InitialCounts.requireColumns(schema, value(uidCol), value(weightCol), "MgdSelector.weightCol: dataset");
        }
        return MgdSelectionModel.withCountColumn(schema, value(countCol));
    }

    @Override
    public MgdSelector copy(ParamMap extra) {
        MgdSelector c = defaultCopy(extra);
        c.targetData = targetData;
        return c;
    }

    public static MLReader<MgdSelector> read() {
        return new DefaultParamsReader<>();
    }

    public static MgdSelector load(String path) {
        return read().load(path);
    }

    private <T> T value(Param<T> p) {
        return getOrDefault(p);
    }

    private String resolvedWorkDir(SparkSession spark) {
        if (isDefined(workDir)) {
            return value(workDir);
        }
        if (spark.sparkContext().isLocal()) {
            return Paths.get(System.getProperty("java.io.tmpdir"), "metagrad-ml", uid).toString();
        }
        throw new IllegalArgumentException("MgdSelector.workDir is not set: give a directory every executor can read"
                + " (e.g. hdfs:// or s3a://) for the pool, target and run");
    }

    private <T> T withDevice(SparkSession spark, java.util.function.Supplier<T> run) {
        if (!isDefined(device)) {
            return run.get();
        }
        String key = "mgd.device";
        scala.Option<String> before = spark.conf().getOption(key);
        spark.conf().set(key, value(device));
        try {
            return run.get();
        } finally {
            if (before.isDefined()) {
                spark.conf().set(key, before.get());
            } else {
                spark.conf().unset(key);
            }
        }
    }

    private <E extends Enum<E>> E enumOf(Class<E> type, Param<String> p) {
        String v = value(p);
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v.replace('-', '_'))) {
                return e;
            }
        }
        throw new IllegalArgumentException("MgdSelector." + p.name() + " = '" + v + "' invalid; one of "
                + String.join(", ", Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList()));
    }

    private static int[] widths(String v) {
        try {
            return Arrays.stream(v.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("MgdSelector.hidden = '" + v + "' invalid; comma-separated widths, e.g. 64,32");
        }
    }
}
