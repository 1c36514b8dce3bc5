package io.metagrad.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows a job's progress on stderr: what it is doing ({@link #step}), and for Spark stages that
 * run for a while, how many tasks are done (at most every few seconds) and when they finish.
 * Short stages stay silent. Close it to stop listening.
 */
public final class Progress extends SparkListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);
    private static final long REPORT_EVERY_MS = 5_000;

    private final SparkSession spark;
    private final String job;
    private final Map<Integer, long[]> stages = new ConcurrentHashMap<>(); // id → {tasks, done, started ms}
    private volatile long lastReport;

    private Progress(SparkSession spark, String job) {
        this.spark = spark;
        this.job = job;
        this.lastReport = System.currentTimeMillis();
    }

    /** Starts reporting the Spark stages of {@code job} (e.g. "ingest"). */
    public static Progress start(SparkSession spark, String job) {
        Progress p = new Progress(spark, job);
        spark.sparkContext().addSparkListener(p);
        return p;
    }

    /** Reports a step of the job, e.g. "reading 12 jsonl files". */
    public void step(String what) {
        LOG.info("{}: {}", job, what);
        lastReport = System.currentTimeMillis();
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted event) {
        stages.put(event.stageInfo().stageId(), new long[] {event.stageInfo().numTasks(), 0, System.currentTimeMillis()});
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd event) {
        long[] s = stages.get(event.stageId());
        if (s == null) {
            return;
        }
        s[1]++;
        long now = System.currentTimeMillis();
        if (now - lastReport >= REPORT_EVERY_MS && now - s[2] >= REPORT_EVERY_MS) {
            lastReport = now;
            LOG.info("{}: stage {}: {}/{} tasks done ({} s)", job, event.stageId(), s[1], s[0], (now - s[2]) / 1000);
        }
    }

    @Override
    public void onStageCompleted(SparkListenerStageCompleted event) {
        long[] s = stages.remove(event.stageInfo().stageId());
        if (s != null && System.currentTimeMillis() - s[2] >= REPORT_EVERY_MS) {
            LOG.info("{}: stage {} finished: {} tasks in {} s", job, event.stageInfo().stageId(), s[0],
                    (System.currentTimeMillis() - s[2]) / 1000);
        }
    }

    @Override
    public void close() {
        spark.sparkContext().removeSparkListener(this);
    }
}
