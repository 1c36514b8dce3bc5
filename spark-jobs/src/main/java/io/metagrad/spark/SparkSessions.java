package io.metagrad.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The one place jobs get their {@link SparkSession}. Honours everything given with
 * {@code spark-submit --conf}; without a master it runs on local Spark with every core.
 */
public final class SparkSessions {

    private static final String EXTRA_LISTENERS = "spark.extraListeners";

    private SparkSessions() {}

    /** The user's listeners, and {@link RecoveredFaults} so a lost executor is reported in the job's own words. */
    private static String withFaultReport(String listeners) {
        String ours = RecoveredFaults.class.getName();
        if (listeners.isBlank()) {
            return ours;
        }
        return listeners.contains(ours) ? listeners : listeners + "," + ours;
    }

    public static SparkSession getOrCreate(String appName) {
        return SparkSession.builder().config(configure(new SparkConf(), appName)).getOrCreate();
    }

    /** {@code conf} (spark-submit's settings) completed with the jobs' defaults. */
    static SparkConf configure(SparkConf conf, String appName) {
        if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
            conf.setIfMissing("spark.ui.enabled", "false");
        }
        conf.setIfMissing("spark.app.name", appName);
        conf.setIfMissing("spark.sql.shuffle.partitions", "8");
        conf.setIfMissing("spark.driver.host", System.getenv().getOrDefault("SPARK_LOCAL_IP", "127.0.0.1"));
        conf.set(EXTRA_LISTENERS, withFaultReport(conf.get(EXTRA_LISTENERS, "")));
        return conf;
    }
}
