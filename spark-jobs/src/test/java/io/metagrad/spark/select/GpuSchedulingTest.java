package io.metagrad.spark.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.core.tensor.Precision;
import io.metagrad.spark.demo.SyntheticSample;
import io.metagrad.spark.train.TrainingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.SparkException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GPU path on a real (loopback) cluster: {@code local-cluster} with one worker whose two "GPUs"
 * come from a fake discovery script. Replica tasks must ask for one GPU each through the stage's
 * resource profile, run concurrently on different addresses, and hand their address to DJL.
 */
class GpuSchedulingTest {

    @TempDir
    static Path dir;

    @Test
    void replicaTasksGetOneGpuEachAndPassTheAddressToDjl() throws Exception {
        Path script = dir.resolve("gpus.sh");
        Files.writeString(script, "#!/bin/sh\necho '{\"name\": \"gpu\", \"addresses\": [\"0\", \"1\"]}'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        SparkSession spark = SparkSession.builder()
                .master("local-cluster[1,2,1024]")
                .appName("gpu-scheduling-test")
                .config("spark.worker.resource.gpu.amount", "2")
                .config("spark.worker.resource.gpu.discoveryScript", script.toString())
                .config("spark.executor.resource.gpu.amount", "2")
                .config("spark.executor.resource.gpu.discoveryScript", script.toString())
                .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .config("spark.executor.extraJavaOptions", "-Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1")
                // The worker launches executors like a Spark distribution would; these stand in for one.
                .config("spark.executorEnv.SPARK_SCALA_VERSION", "2.12")
                .config("spark.executorEnv.SPARK_TESTING", "1")
                .config("spark.executorEnv.OPT_OUT_TRACKING", "true")
                .config("spark.task.maxFailures", "1")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .config(DevicePlacement.KEY, "gpu")
                .getOrCreate();
        String app = spark.sparkContext().applicationId();
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(120), () -> check(spark));
        } finally {
            spark.stop();
            removeWorkerDirectory(app);
        }
    }

    /** The in-process worker keeps executor logs in ./work/&lt;app&gt; (its Spark home is the module directory). */
    private static void removeWorkerDirectory(String app) throws java.io.IOException {
        Path work = Path.of("work");
        Path appDir = work.resolve(app);
        if (Files.exists(appDir)) {
            try (java.util.stream.Stream<Path> files = Files.walk(appDir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        try (java.util.stream.Stream<Path> left = Files.exists(work) ? Files.list(work) : java.util.stream.Stream.empty()) {
            if (Files.exists(work) && left.findAny().isEmpty()) {
                Files.delete(work);
            }
        }
    }

    private static void check(SparkSession spark) {
        DevicePlacement placement = DevicePlacement.of(spark);
        assertTrue(placement.profile().isPresent(), "a cluster master gets the GPU profile");

        // Two tasks at once, one GPU each: both addresses are used.
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<String> devices = jsc.parallelize(List.of(0, 1, 2, 3), 4).withResources(placement.profile().get())
                .map(x -> placement.deviceOf(TaskContext.get())).collect();
        assertEquals(new TreeSet<>(List.of("gpu:0", "gpu:1")), new TreeSet<>(devices));

        // The replica stage runs with the profile and asks DJL for the given GPU; this CPU-only
        // libtorch sees none, so the task fails naming the device it was handed.
        SyntheticSample.Paths sample = new SyntheticSample(3, 4, 40, 0, 0, 20, 4, 1, 1).write(spark, dir.resolve("s").toString());
        TrainingOptions training = new TrainingOptions(TrainingOptions.ModelKind.LOGISTIC, null, 8, 0.1,
                TrainingOptions.ScheduleKind.CONSTANT, 0, 0, 0, 8, 4, 0, Precision.FLOAT32);
        SparkException e = assertThrows(SparkException.class, () -> SelectJob.run(spark,
                SelectParams.builder(sample.poolFeatures(), sample.targetFeatures(), dir.resolve("run").toString())
                        .training(training).mgdSteps(1).build()));
        assertTrue(e.getMessage().matches("(?s).*device gpu:[01] requested but the PyTorch engine sees 0 GPU.*"), e.getMessage());
    }
}
