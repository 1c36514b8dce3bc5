package io.metagrad.core.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.metagrad.core.data.BatchOrder;
import io.metagrad.core.mgd.MetagradientProblem;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files a peer trains from hold exactly our run's float32 inputs, batches and rates. */
class PeerExportTest {

    @Test
    void exportHoldsTheRunsInputsInItsOrder(@TempDir Path dir) throws Exception {
        MetagradientProblem problem = BenchProblem.of(5, 300, 7, 3);
        PeerExport.write(problem, dir);

        JsonObject manifest = JsonParser.parseString(Files.readString(dir.resolve("problem.json"))).getAsJsonObject();
        assertEquals(300, manifest.get("examples").getAsInt());
        assertEquals(5, manifest.get("steps").getAsInt());
        assertEquals(7, manifest.get("targets").getAsInt());

        List<double[]> init = problem.config().model().build().initialValues(problem.config().seed());
        assertArrayEquals(asFloats(init.get(0)), PeerExport.readFloats(dir.resolve("w1.f32")), 0.0);
        assertArrayEquals(asFloats(init.get(3)), PeerExport.readFloats(dir.resolve("b2.f32")), 0.0);
        assertArrayEquals(asFloats(problem.data().features()), PeerExport.readFloats(dir.resolve("x.f32")), 0.0);
        assertArrayEquals(asFloats(BenchProblem.targets(problem).targets()), PeerExport.readFloats(dir.resolve("target_y.f32")), 0.0);

        ByteBuffer rows = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("order.i32"))).order(ByteOrder.LITTLE_ENDIAN);
        BatchOrder order = new BatchOrder(problem.config().seed(), problem.data().itemKeys(), problem.config().batchSize());
        for (int t = 0; t < 5; t++) {
            for (int row : order.batch(t)) {
                assertEquals(row, rows.getInt(), "step " + t);
            }
        }
        assertEquals(0, rows.remaining());
        ByteBuffer rates = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("rates.f64"))).order(ByteOrder.LITTLE_ENDIAN);
        for (double rate : problem.config().schedule().rates(5)) {
            assertEquals(rate, rates.getDouble(), 0.0);
        }
    }

    private static double[] asFloats(double[] values) {
        double[] f = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            f[i] = (float) values[i];
        }
        return f;
    }
}
