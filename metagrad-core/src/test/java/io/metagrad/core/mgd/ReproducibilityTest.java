package io.metagrad.core.mgd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.metagrad.core.SmallProblems;
import io.metagrad.core.SmallProblems.MetaKind;
import io.metagrad.core.SmallProblems.ModelKind;
import io.metagrad.core.SmallProblems.OptimizerKind;
import io.metagrad.core.config.TrainConfig;
import io.metagrad.core.data.TrainingData;
import io.metagrad.core.output.OutputFunction;
import io.metagrad.core.tensor.Precision;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Training and metagradients are bitwise the same across runs and across JVMs. */
class ReproducibilityTest {

    /** A fingerprint of the trained parameters and the metagradient of a fixed problem. */
    static String fingerprint() {
        TrainConfig config = SmallProblems.config(ModelKind.MLP_GELU_NORM, OptimizerKind.ADAMW, 15, Precision.FLOAT32);
        TrainingData data = SmallProblems.data(ModelKind.MLP_GELU_NORM, 1, SmallProblems.EXAMPLES);
        MetagradientProblem problem = new MetagradientProblem(config, data,
                SmallProblems.metaparameter(MetaKind.WEIGHTS, config, data),
                OutputFunction.meanLoss(SmallProblems.data(ModelKind.MLP_GELU_NORM, 2, 6)));
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (double[] p : Metagradients.train(problem)) {
                digest(sha, p);
            }
            digest(sha, Metagradients.compute(problem, 4).gradient());
            StringBuilder hex = new StringBuilder();
            for (byte b : sha.digest()) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void digest(MessageDigest sha, double[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8);
        for (double v : values) {
            b.putLong(Double.doubleToRawLongBits(v));
        }
        sha.update(b.array());
    }

    /** Entry point of the second JVM: prints the fingerprint. */
    public static void main(String[] args) {
        System.out.println("FINGERPRINT " + fingerprint());
    }

    @Test
    void sameBitsAcrossRunsAndJvms() throws IOException, InterruptedException {
        String here = fingerprint();
        assertEquals(here, fingerprint(), "second run in this JVM");

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dai.djl.offline=true");
        command.add("-Dai.djl.pytorch.num_threads=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ReproducibilityTest.class.getName());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(120, TimeUnit.SECONDS);
        String line = output.lines().filter(l -> l.startsWith("FINGERPRINT ")).findFirst()
                .orElseThrow(() -> new AssertionError("second JVM printed no fingerprint:\n" + output));
        assertEquals(here, line.substring("FINGERPRINT ".length()), "other JVM");
    }
}
