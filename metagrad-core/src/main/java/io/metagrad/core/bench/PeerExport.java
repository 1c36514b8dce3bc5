package io.metagrad.core.bench;

import com.google.gson.GsonBuilder;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.BatchOrder;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.mgd.MetagradientProblem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@link BenchProblem} as a peer implementation needs it to train the identical run: the initial
 * parameters, the pool and target sets, the batch of every step and every step's learning rate, as
 * raw little-endian arrays beside a {@code problem.json} that names their shapes. float32 arrays hold
 * exactly the values our float32 run trains on.
 */
public final class PeerExport {

    private PeerExport() {}

    public static void write(MetagradientProblem problem, Path dir) throws IOException {
        TrainConfig config = problem.config();
        TrainingData pool = problem.data();
        TrainingData targets = BenchProblem.targets(problem);
        List<double[]> init = config.model().build().initialValues(config.seed());
        String[] names = {"w1", "b1", "w2", "b2"};
        for (int j = 0; j < names.length; j++) {
            writeFloats(dir.resolve(names[j] + ".f32"), init.get(j));
        }
        writeFloats(dir.resolve("x.f32"), pool.features());
        writeFloats(dir.resolve("y.f32"), pool.targets());
        writeFloats(dir.resolve("target_x.f32"), targets.features());
        writeFloats(dir.resolve("target_y.f32"), targets.targets());
        BatchOrder order = new BatchOrder(config.seed(), pool.itemKeys(), config.batchSize());
        ByteBuffer rows = little(config.steps() * config.batchSize() * Integer.BYTES);
        for (int t = 0; t < config.steps(); t++) {
            for (int row : order.batch(t)) {
                rows.putInt(row);
            }
        }
        write(dir.resolve("order.i32"), rows);
        double[] rates = config.schedule().rates(config.steps());
        ByteBuffer r = little(rates.length * Double.BYTES);
        for (double rate : rates) {
            r.putDouble(rate);
        }
        write(dir.resolve("rates.f64"), r);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("examples", pool.size());
        manifest.put("input", BenchProblem.INPUT);
        manifest.put("hidden", BenchProblem.HIDDEN);
        manifest.put("classes", BenchProblem.CLASSES);
        manifest.put("batch", config.batchSize());
        manifest.put("steps", config.steps());
        manifest.put("targets", targets.size());
        manifest.put("momentum", BenchProblem.MOMENTUM);
        manifest.put("model", "tanh MLP; loss (1/B) sum_i w_i CE(softmax(logits_i), y_i); m <- mu m + g; theta <- theta - lr m");
        Files.writeString(dir.resolve("problem.json"), new GsonBuilder().setPrettyPrinting().create().toJson(manifest),
                StandardCharsets.UTF_8);
    }

    /** A float32 file written by the peer, widened to double. */
    public static double[] readFloats(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        double[] v = new double[b.remaining() / Float.BYTES];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.getFloat();
        }
        return v;
    }

    private static void writeFloats(Path file, double[] values) throws IOException {
        ByteBuffer b = little(values.length * Float.BYTES);
        for (double v : values) {
            b.putFloat((float) v);
        }
        write(file, b);
    }

    private static ByteBuffer little(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void write(Path file, ByteBuffer b) throws IOException {
        b.flip();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (b.hasRemaining()) {
                channel.write(b);
            }
        }
    }
}
