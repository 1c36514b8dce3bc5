package io.metagrad.spark.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The machine's 1-minute load average ({@code /proc/loadavg}), sampled every 5 s while a benchmark runs: figures
 * measured on a shared machine say how shared it was.
 */
public final class LoadSampler {

    private final DoubleAdder sum = new DoubleAdder();
    private final LongAdder samples = new LongAdder();
    private volatile double min = Double.POSITIVE_INFINITY;
    private volatile double max = Double.NEGATIVE_INFINITY;
    private volatile boolean running = true;
    private final Thread thread = new Thread(this::sample, "load-sampler");

    private LoadSampler() {}

    public static LoadSampler start() {
        LoadSampler s = new LoadSampler();
        s.thread.setDaemon(true);
        s.thread.start();
        return s;
    }

    public void stop() {
        running = false;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Mean, min and max of the samples and their count; an empty map where /proc/loadavg is not there. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        long n = samples.sum();
        if (n > 0) {
            m.put("mean", Math.round(sum.sum() / n * 100) / 100.0);
            m.put("min", min);
            m.put("max", max);
            m.put("samples", n);
        }
        return m;
    }

    private void sample() {
        while (running) {
            try {
                double load = Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
                sum.add(load);
                samples.increment();
                min = Math.min(min, load);
                max = Math.max(max, load);
            } catch (IOException | RuntimeException e) {
                return; // no /proc: nothing to report
            }
            try {
                Thread.sleep(5000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
