package io.metagrad.spark.io;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Test hooks at the points of a commit where a crash matters, so that tests can put a kill exactly
 * there. Off unless asked for, by the system property {@value #PROPERTY} or the environment variable
 * {@code MGD_TEST_COMMIT_FAULTS}:
 * <ul>
 *   <li>{@code pause=MS}: sleep MS milliseconds at every point (widens the windows a random kill lands in);</li>
 *   <li>{@code halt=POINT} or {@code halt=POINT#N}: end the JVM at once (as {@code kill -9} would, exit 137) at
 *       the first, or the N-th, time the point is reached.</li>
 * </ul>
 * In-process tests {@link #install} a hook instead (e.g. one that throws to simulate the crash).
 *
 * <p>Points: {@code file.temp-written} (a small file's temporary is complete, not yet renamed),
 * {@code file.replaced} (renamed, sidecars not yet cleaned), {@code dir.staged} (a directory is staged,
 * the commit not begun), {@code dir.journal-written}, {@code dir.old-moved} (the old output is aside),
 * {@code dir.new-moved} (the new one is in place), {@code dir.old-deleted} (the journal is not yet removed),
 * {@code dir.file-moved} (object stores: after each object of a directory move).
 */
public final class CommitFaults {

    /** System property that turns the hooks on. */
    public static final String PROPERTY = "mgd.test.commit-faults";

    private static final String SPEC = spec();
    private static final Map<String, AtomicInteger> SEEN = new ConcurrentHashMap<>();
    private static volatile Consumer<String> hook;

    private CommitFaults() {}

    private static String spec() {
        String s = System.getProperty(PROPERTY);
        return s != null ? s : System.getenv("MGD_TEST_COMMIT_FAULTS");
    }

    /** Called by the commit helpers at each named point. */
    static void at(String point) {
        Consumer<String> h = hook;
        if (h != null) {
            h.accept(point);
        }
        if (SPEC == null || SPEC.isBlank()) {
            return;
        }
        for (String part : SPEC.split(",")) {
            String p = part.strip();
            if (p.startsWith("pause=")) {
                sleep(Long.parseLong(p.substring("pause=".length())));
            } else if (p.startsWith("halt=")) {
                String[] target = p.substring("halt=".length()).split("#");
                int nth = target.length > 1 ? Integer.parseInt(target[1]) : 1;
                if (target[0].equals(point) && SEEN.computeIfAbsent(point, k -> new AtomicInteger()).incrementAndGet() == nth) {
                    System.err.println("mgd: test fault: halting at " + point);
                    Runtime.getRuntime().halt(137);
                }
            }
        }
    }

    /** Calls {@code h} at every point until the returned handle is closed (in-process tests). */
    public static AutoCloseable install(Consumer<String> h) {
        hook = h;
        return () -> hook = null;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
