package io.metagrad.core.bench;

import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.metagrad.core.tensor.Engines;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * Counts the native tensor operations a piece of work launches, with libtorch's own profiler: the
 * top-level operator calls (an {@code aten::matmul} that calls {@code aten::mm} counts once; each
 * autograd backward node counts once). Benchmarks only: profiling slows the work it watches.
 */
public final class NativeOps {

    private NativeOps() {}

    /** Top-level native operator calls made by {@code work} on this thread. */
    public static long count(Runnable work) {
        Engines.pytorch();
        Path trace;
        try {
            trace = Files.createTempFile("mgd-ops-", ".json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            JniUtils.startProfile(false, false, false);
            try {
                work.run();
            } finally {
                JniUtils.stopProfile(trace.toString());
            }
            return topLevel(readEvents(trace));
        } finally {
            try {
                Files.deleteIfExists(trace);
            } catch (IOException e) {
                trace.toFile().deleteOnExit();
            }
        }
    }

    /** One complete event of a Chrome trace: thread, start and duration in microseconds. */
    private record Event(String thread, double start, double duration) {
        double end() {
            return start + duration;
        }
    }

    private static List<Event> readEvents(Path trace) {
        List<Event> events = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(trace, StandardCharsets.UTF_8); JsonReader json = new JsonReader(reader)) {
            json.beginArray();
            while (json.hasNext()) {
                String phase = null;
                String thread = "";
                double start = 0;
                double duration = 0;
                json.beginObject();
                while (json.hasNext()) {
                    String name = json.nextName();
                    switch (name) {
                        case "ph" -> phase = json.nextString();
                        case "tid" -> thread = json.peek() == JsonToken.NUMBER ? Long.toString(json.nextLong()) : json.nextString();
                        case "ts" -> start = json.nextDouble();
                        case "dur" -> duration = json.nextDouble();
                        default -> json.skipValue();
                    }
                }
                json.endObject();
                if ("X".equals(phase)) {
                    events.add(new Event(thread, start, duration));
                }
            }
            json.endArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the profiler trace " + trace, e);
        }
        return events;
    }

    /** Events not nested inside another event of the same thread. */
    private static long topLevel(List<Event> events) {
        events.sort(Comparator.comparing(Event::thread).thenComparingDouble(Event::start)
                .thenComparing(Comparator.comparingDouble(Event::duration).reversed()));
        long count = 0;
        String thread = null;
        Deque<Double> open = new ArrayDeque<>();
        for (Event e : events) {
            if (!e.thread().equals(thread)) {
                thread = e.thread();
                open.clear();
            }
            while (!open.isEmpty() && open.peek() <= e.start()) {
                open.pop();
            }
            if (open.isEmpty()) {
                count++;
            }
            open.push(e.end());
        }
        return count;
    }
}
