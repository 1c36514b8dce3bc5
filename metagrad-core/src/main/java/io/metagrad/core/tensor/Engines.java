package io.metagrad.core.tensor;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/**
 * The single place that picks the tensor engine and makes base managers.
 *
 * <p>Runs fully offline from the PyTorch native jar on the classpath, with one intra-op thread per
 * task unless the caller set {@code ai.djl.pytorch.num_threads} (measured: two threads on a 2-core
 * machine give large outliers).
 */
public final class Engines {

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

    /** A new root manager on the engine's default device; the caller closes it. */
    public static NDManager newManager() {
        return pytorch().newBaseManager();
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
