package io.metagrad.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code spark-submit} of the application jar, as a user runs it: {@code org.apache.spark.deploy.SparkSubmit} on
 * the distribution's classpath, no {@code --jars}, the job's class and its command-line options. In client mode
 * the driver is this process; in cluster mode a Worker runs it and spark-submit waits for it to end.
 */
final class Submit {

    enum Mode { CLIENT, CLUSTER }

    /** What a submission did: exit code, wall time, its own log and (cluster mode) the driver's id. */
    record Result(String job, Mode mode, int exitCode, double seconds, Path log, String output, String driverId) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    static final String JVM_FLAGS = SparkHome.OPENS + " -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1"
            + " -Dai.djl.pytorch.num_interop_threads=1";

    private final SparkHome home;
    private final String master;
    private final Path jar;
    private final Path logs;
    private final Map<String, String> conf = new LinkedHashMap<>();
    private int count;

    Submit(SparkHome home, String master, Path jar, Path logs) {
        this.home = home;
        this.master = master;
        this.jar = jar;
        this.logs = logs;
        // What a cluster needs for these jobs (conf/spark-defaults.conf.example): Java 17 flags, offline DJL with one
        // thread per task, one core per executor; small executors for a 2-core machine.
        conf.put("spark.executor.extraJavaOptions", JVM_FLAGS);
        conf.put("spark.executorEnv.OPT_OUT_TRACKING", "true");
        conf.put("spark.executor.cores", "1");
        conf.put("spark.cores.max", "2");
        conf.put("spark.executor.memory", "768m");
        conf.put("spark.driver.memory", "768m");
        conf.put("spark.ui.enabled", "false");
        conf.put("spark.standalone.submit.waitAppCompletion", "true");
    }

    /** Adds settings to every later submission. */
    Submit conf(Map<String, String> more) {
        conf.putAll(more);
        return this;
    }

    /** The command line (secrets shown as ***). */
    static String describe(List<String> command) {
        List<String> shown = new ArrayList<>();
        for (String c : command) {
            shown.add(c.matches("(?i).*(secret|password|token)[^=]*=.*") ? c.replaceAll("=.*", "=***") : c);
        }
        return String.join(" ", shown);
    }

    List<String> command(Mode mode, String mainClass, List<String> args, Map<String, String> extra, Path appJar) {
        Map<String, String> all = new LinkedHashMap<>(conf);
        all.putAll(extra);
        List<String> a = new ArrayList<>(List.of("--master", master, "--deploy-mode", mode.name().toLowerCase()));
        if (mode == Mode.CLUSTER) {
            all.put("spark.driver.extraJavaOptions", JVM_FLAGS);
        }
        all.forEach((k, v) -> {
            a.add("--conf");
            a.add(k + "=" + v);
        });
        a.add("--class");
        a.add(mainClass);
        a.add(appJar.toString());
        a.addAll(args);
        return home.java(List.of("-Xmx768m", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1"), "org.apache.spark.deploy.SparkSubmit", a);
    }

    /** Starts a submission without waiting (for fault injection). */
    Child start(String job, Mode mode, String mainClass, List<String> args, Map<String, String> extra, Path appJar) {
        List<String> command = command(mode, mainClass, args, extra, appJar);
        Path log = logs.resolve(String.format("%02d-%s-%s.log", ++count, job, mode.name().toLowerCase()));
        return Child.start(job, command, home.env(), log);
    }

    Result run(String job, Mode mode, String mainClass, List<String> args) {
        return run(job, mode, mainClass, args, Map.of(), jar);
    }

    Result run(String job, Mode mode, String mainClass, List<String> args, Map<String, String> extra, Path appJar) {
        long start = System.nanoTime();
        Child c = start(job, mode, mainClass, args, extra, appJar);
        int code = c.waitFor(Duration.ofMinutes(8));
        String out = c.output();
        Matcher m = Pattern.compile("(driver-\\d{14}-\\d{4})").matcher(out);
        return new Result(job, mode, code, (System.nanoTime() - start) / 1e9, c.log(), out, m.find() ? m.group(1) : null);
    }
}
