package io.metagrad.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An emulated Spark 3.5 distribution: {@code jars/} holds links to exactly Spark's own runtime jars (the
 * closure of spark-core, spark-sql and spark-mllib that a distribution ships; {@code spark-dist.classpath},
 * written by the build), {@code conf/} a log4j2 configuration. No metagrad, Iceberg or hadoop-aws jar is in
 * it: the application jar must bring them.
 */
final class SparkHome {

    /** Spark's Java 17 flags (platform-notes.md), for every JVM of the cluster. */
    static final String OPENS = String.join(" ", "-XX:+IgnoreUnrecognizedVMOptions",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED", "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
            "--add-opens=java.base/sun.security.action=ALL-UNNAMED", "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
            "--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED", "-Djdk.reflect.useDirectMethodHandle=false");

    private static final String LOG4J = String.join("\n",
            "rootLogger.level = warn",
            "rootLogger.appenderRef.stdout.ref = console",
            "appender.console.type = Console",
            "appender.console.name = console",
            "appender.console.target = SYSTEM_ERR",
            "appender.console.layout.type = PatternLayout",
            "appender.console.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n",
            // our progress lines, where Spark put what (master, workers, drivers, executors) and task retries
            "logger.metagrad.name = io.metagrad", "logger.metagrad.level = info",
            "logger.deploy.name = org.apache.spark.deploy", "logger.deploy.level = info",
            "logger.tsm.name = org.apache.spark.scheduler.TaskSetManager", "logger.tsm.level = info",
            "logger.dag.name = org.apache.spark.scheduler.DAGScheduler", "logger.dag.level = warn",
            "logger.exec.name = org.apache.spark.scheduler.cluster.StandaloneSchedulerBackend", "logger.exec.level = info",
            "");

    private final Path home;

    private SparkHome(Path home) {
        this.home = home;
    }

    static SparkHome create(Path dir, Path distClasspath) {
        try {
            Path jars = Files.createDirectories(dir.resolve("jars"));
            for (String jar : Files.readString(distClasspath).strip().split(":")) {
                Path target = Path.of(jar);
                Files.createSymbolicLink(jars.resolve(target.getFileName()), target);
            }
            Files.writeString(Files.createDirectories(dir.resolve("conf")).resolve("log4j2.properties"), LOG4J);
            return new SparkHome(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lay out SPARK_HOME in " + dir, e);
        }
    }

    Path path() {
        return home;
    }

    /**
     * {@code bin/spark-submit} as a distribution's launcher runs it: SparkSubmit on {@code conf/} and {@code jars/*},
     * with Spark's Java 17 module flags (the launcher adds them on its own).
     */
    Path writeSparkSubmit() {
        try {
            Path bin = Files.createDirectories(home.resolve("bin")).resolve("spark-submit");
            Files.writeString(bin, String.join("\n", "#!/usr/bin/env bash",
                    "exec \"" + Path.of(System.getProperty("java.home"), "bin", "java") + "\" " + OPENS
                            + " -cp \"$SPARK_HOME/conf:$SPARK_HOME/jars/*\" org.apache.spark.deploy.SparkSubmit \"$@\"", ""));
            Files.setPosixFilePermissions(bin, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            return bin;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + home.resolve("bin/spark-submit"), e);
        }
    }

    /** What {@code bin/spark-class} would put on the classpath. */
    String classpath() {
        return home.resolve("conf") + ":" + home.resolve("jars") + "/*";
    }

    int jarCount() {
        try (var s = Files.list(home.resolve("jars"))) {
            return (int) s.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The environment every Spark process gets. */
    Map<String, String> env() {
        return Map.of("SPARK_HOME", home.toString(), "SPARK_SCALA_VERSION", "2.12", "SPARK_LOCAL_IP", "127.0.0.1",
                "OPT_OUT_TRACKING", "true");
    }

    /** {@code java OPENS [jvm…] -cp SPARK_HOME main args…}. */
    List<String> java(List<String> jvm, String main, List<String> args) {
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        c.addAll(List.of(OPENS.split(" ")));
        c.addAll(jvm);
        c.add("-cp");
        c.add(classpath());
        c.add(main);
        c.addAll(args);
        return c;
    }
}
