package io.metagrad.core.tensor;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The single place that picks the tensor engine and makes base managers.
 *
 * <p>Runs fully offline from the PyTorch native jar on the classpath, with one intra-op thread per
 * task unless the caller set {@code ai.djl.pytorch.num_threads} (measured: two threads on a 2-core
 * machine give large outliers).
 *
 * <p>Managers live on the CPU unless the calling thread chose a device with {@link #onDevice}: a
 * thread-local choice, so that parallel tasks in one JVM (Spark executor threads) can each use the
 * GPU they were given.
 */
public final class Engines {

    private static final Pattern DEVICE = Pattern.compile("cpu|gpu(?::(\\d+))?");
    private static final ThreadLocal<Device> THREAD_DEVICE = new ThreadLocal<>();

    private static volatile Engine engine;

    private Engines() {}

    /** The PyTorch engine, configured on first use. */
    public static Engine pytorch() {
        Engine e = engine;
        if (e == null) {
            synchronized (Engines.class) {
                if (engine == null) {
                    defaultProperty("ai.djl.offline", "true");
                    defaultProperty("OPT_OUT_TRACKING", "true");
                    defaultProperty("ai.djl.pytorch.num_threads", "1");
                    defaultProperty("ai.djl.pytorch.num_interop_threads", "1");
                    defaultProperty("ai.djl.pytorch.graph_optimizer", "false");
                    engine = Engine.getEngine("PyTorch");
                }
                e = engine;
            }
        }
        return e;
    }

    /**
     * A new root manager on this thread's device (see {@link #onDevice}), else the engine's default
     * device; the caller closes it.
     */
    public static NDManager newManager() {
        Device device = THREAD_DEVICE.get();
        return device == null ? pytorch().newBaseManager() : pytorch().newBaseManager(device);
    }

    /**
     * Makes {@link #newManager()} on the calling thread use {@code device} until the returned scope
     * is closed (scopes nest; closing restores the previous choice).
     *
     * @param device {@code "cpu"}, {@code "gpu"} (GPU 0) or {@code "gpu:N"}
     * @throws IllegalArgumentException if the name is malformed or names a GPU the engine cannot see
     */
    public static DeviceScope onDevice(String device) {
        Device chosen = parseDevice(device);
        if (chosen.isGpu() && chosen.getDeviceId() >= pytorch().getGpuCount()) {
            throw new IllegalArgumentException("device " + device + " requested but the PyTorch engine sees "
                    + pytorch().getGpuCount() + " GPU(s); a CUDA build of libtorch is needed (PYTORCH_LIBRARY_PATH,"
                    + " PYTORCH_VERSION, PYTORCH_FLAVOR) and the CPU-only native jar must be left off the classpath");
        }
        Device previous = THREAD_DEVICE.get();
        THREAD_DEVICE.set(chosen);
        return () -> {
            if (previous == null) {
                THREAD_DEVICE.remove();
            } else {
                THREAD_DEVICE.set(previous);
            }
        };
    }

    /** The device named {@code "cpu"}, {@code "gpu"} or {@code "gpu:N"}. */
    static Device parseDevice(String name) {
        Matcher m = name == null ? null : DEVICE.matcher(name.trim());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("device = " + name + " invalid; use cpu, gpu or gpu:N");
        }
        if (name.trim().equals("cpu")) {
            return Device.cpu();
        }
        return Device.gpu(m.group(1) == null ? 0 : Integer.parseInt(m.group(1)));
    }

    /** Restores the thread's previous device when closed. */
    @FunctionalInterface
    public interface DeviceScope extends AutoCloseable {
        @Override
        void close();
    }

    /** Intra-op threads the engine computes with. */
    public static int intraOpThreads() {
        pytorch();
        return ai.djl.pytorch.jni.JniUtils.getNumThreads();
    }

    /** Versions of the engine pieces, for provenance. */
    public static String describe() {
        Engine e = pytorch();
        return "DJL " + Engine.getDjlVersion() + ", " + e.getEngineName() + " " + e.getVersion();
    }

    private static void defaultProperty(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
