package io.metagrad.spark.select;

import io.metagrad.spark.SparkSessions;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Starts the Spark session of a metagrad job run from the command line or {@code spark-submit}:
 * Spark's console progress bar on a terminal only (unless configured: in a log file or a pipe its
 * carriage returns are garbage; our own progress lines show there), and {@code --conf key=value} pairs applied —
 * {@code spark.*} keys before the session starts, others (e.g. {@code mgd.device}) on its runtime conf.
 */
public final class JobSession {

    private static final String PROGRESS = "spark.ui.showConsoleProgress";

    private JobSession() {}

    public static SparkSession start(String app, Map<String, String> conf) {
        if (System.getProperty(PROGRESS) == null) {
            System.setProperty(PROGRESS, String.valueOf(System.console() != null));
        }
        conf.forEach((k, v) -> {
            if (k.startsWith("spark.")) {
                System.setProperty(k, v);
            }
        });
        SparkSession spark = SparkSessions.getOrCreate(app);
        conf.forEach((k, v) -> {
            if (!k.startsWith("spark.")) {
                spark.conf().set(k, v);
            }
        });
        return spark;
    }
}
