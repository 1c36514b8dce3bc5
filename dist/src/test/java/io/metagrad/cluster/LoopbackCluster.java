package io.metagrad.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Spark standalone cluster on loopback: one Master and N Workers, each its own JVM started from an emulated
 * {@link SparkHome}, on ports the OS chose. Workers get {@code cores} task slots and {@code memory} each; the
 * environment given to them (e.g. node credentials) reaches the executors and cluster-mode drivers they launch.
 */
final class LoopbackCluster implements AutoCloseable {

    private final SparkHome home;
    private final Path dir;
    private final int port = Child.freePort();
    private final int uiPort = Child.freePort();
    private final List<Child> processes = new ArrayList<>();
    private final List<Child> workers = new ArrayList<>();
    private final List<Path> workDirs = new ArrayList<>();

    private LoopbackCluster(SparkHome home, Path dir) {
        this.home = home;
        this.dir = dir;
    }

    static LoopbackCluster start(SparkHome home, Path dir, int workers, int cores, String memory, Map<String, String> workerEnv) {
        LoopbackCluster c = new LoopbackCluster(home, dir);
        try {
            c.processes.add(Child.start("master", home.java(List.of("-Xmx256m"), "org.apache.spark.deploy.master.Master",
                    List.of("--host", "127.0.0.1", "--port", "" + c.port, "--webui-port", "" + c.uiPort)), home.env(),
                    dir.resolve("logs/master.log")));
            Child.await("the master on port " + c.port, Duration.ofSeconds(60), () -> Child.listening(c.port));
            for (int i = 0; i < workers; i++) {
                Path work = Files.createDirectories(dir.resolve("worker-" + i));
                c.workDirs.add(work);
                Map<String, String> env = new HashMap<>(home.env());
                env.putAll(workerEnv);
                Child worker;
                c.processes.add(worker = Child.start("worker-" + i, home.java(List.of("-Xmx256m"), "org.apache.spark.deploy.worker.Worker",
                        List.of("--host", "127.0.0.1", "--cores", "" + cores, "--memory", memory, "--webui-port", "" + Child.freePort(),
                                "--work-dir", work.toString(), c.masterUrl())), env, dir.resolve("logs/worker-" + i + ".log")));
                c.workers.add(worker);
            }
            Child.await(workers + " alive workers", Duration.ofSeconds(90), () -> c.aliveWorkers() == workers);
            return c;
        } catch (IOException e) {
            c.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + port;
    }

    List<Path> workDirs() {
        return workDirs;
    }

    /** Every log of the cluster: master, workers, and every executor and driver they ran. */
    List<Path> logs() {
        List<Path> out = new ArrayList<>();
        try (var s = Files.walk(dir)) {
            s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".log") || p.getFileName().toString().equals("stdout")
                    || p.getFileName().toString().equals("stderr")).forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The Master's JSON status page. */
    String status() {
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + uiPort + "/json/")).timeout(Duration.ofSeconds(5)).build();
        try {
            return HttpClient.newHttpClient().send(get, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private int aliveWorkers() {
        Matcher m = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)").matcher(status());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** The executor JVMs worker {@code i} runs now: pid → command line (only this cluster's: the worker's children). */
    Map<Long, String> executorJvms(int i) {
        Map<Long, String> out = new HashMap<>();
        workers.get(i).descendants().forEach(p -> p.info().commandLine().ifPresent(cmd -> {
            if (cmd.contains("org.apache.spark.executor.CoarseGrainedExecutorBackend")) {
                out.put(p.pid(), cmd);
            }
        }));
        return out;
    }

    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
    }
}
