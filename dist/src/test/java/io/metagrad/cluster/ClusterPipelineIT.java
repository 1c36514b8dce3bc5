package io.metagrad.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The application jar on a real Spark standalone cluster on loopback (a Master and two Workers, each its own JVM,
 * from a SPARK_HOME holding only Spark's own jars) with s3proxy as S3: ingest → featurize → select → curate by
 * spark-submit, s3a:// in and out, in client and in cluster deploy mode, bitwise equal to the same pipeline on
 * local Spark; select survives kill -9 of an executor and of the driver; libtorch can come from the nodes instead
 * of the jar; the S3 secret appears in no output and no log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterPipelineIT {

    private ClusterScenario scenario;
    private Outputs local;
    private Outputs client;

    @BeforeAll
    void start() {
        Path work = Path.of(System.getProperty("mgd.app.jar")).getParent().resolve("cluster-it");
        scenario = ClusterScenario.start(ClusterScenario.Settings.fromSystemProperties(work), System.out);
        local = scenario.localRun();
        assertFalse(local.selection().isEmpty());
        assertTrue(local.selection().size() < 2000, "MGD dropped some of the 2,000 pool items");
        assertEquals(local.selection().size(), local.curated().size());
    }

    @AfterAll
    void stop() {
        if (scenario != null) {
            scenario.printRuns();
            scenario.close();
        }
    }

    @Test
    @Order(1)
    void clientModeOnS3EqualsTheLocalRunBitwise() {
        client = scenario.clusterRun(Submit.Mode.CLIENT, "client", false);
        assertEquals(local.selection(), client.selection(), "selection");
        assertEquals(local.npySha256(), client.npySha256(), "subset.npy");
        assertEquals(local.curated(), client.curated(), "curated rows");
        assertExecutorsOnBothWorkers("select", Submit.Mode.CLIENT);
    }

    @Test
    @Order(2)
    void clusterModeOnS3WithIcebergEqualsTheLocalRunBitwise() {
        Outputs cluster = scenario.clusterRun(Submit.Mode.CLUSTER, "cluster", true);
        assertEquals(local.selection(), cluster.selection(), "selection");
        assertEquals(local.npySha256(), cluster.npySha256(), "subset.npy");
        assertEquals(local.curated(), cluster.curated(), "curated rows, read back from the Iceberg table");
        ClusterScenario.Ran select = last("select", Submit.Mode.CLUSTER);
        assertTrue(select.driver().startsWith("driver-") && select.driver().contains("worker-"), select.driver());
        assertEquals(1, scenario.spark.sql("SELECT * FROM " + ClusterScenario.TABLE + ".snapshots").count(), "one snapshot");
        Map<String, String> summary = scenario.spark.sql("SELECT summary FROM " + ClusterScenario.TABLE + ".snapshots")
                .first().getJavaMap(0);
        assertEquals(scenario.pipeline("cluster").selectRun(), summary.get("metagrad.select-run"));
    }

    @Test
    @Order(3)
    void selectSurvivesKillingAnExecutorAndTheDriver() {
        ClusterScenario.FaultRun f = scenario.faults("client");
        assertTrue(f.firstLog().matches("(?s).*(Lost task|lost executor|ExecutorLostFailure).*"),
                "Spark saw the executor die and retried its task:\n" + f.firstLog());
        assertTrue(f.stepsBeforeDriverKill() >= 1 && f.stepsBeforeDriverKill() < Pipeline.STEPS,
                "the step whose executor died completed in the same run; the driver died before the end: "
                        + f.stepsBeforeDriverKill());
        assertTrue(f.rerunLog().contains("select: resuming") && f.rerunLog().contains("after step " + f.stepsBeforeDriverKill()),
                "the rerun resumed after the last checkpointed step:\n" + f.rerunLog());
        assertEquals(client.selection(), f.selection(), "bitwise equal to the undisturbed run");
    }

    @Test
    @Order(4)
    void libtorchFromEachNodesEngineCacheInsteadOfTheJar() throws Exception {
        ClusterScenario.SlimRun s = scenario.nativesFromNodeCache("client");
        assertEquals(client.selection(), s.selection(), "bitwise equal with libtorch from ENGINE_CACHE_DIR");
        assertTrue(s.slimBytes() < s.allBytes() - 100_000_000L, s.slimBytes() + " vs " + s.allBytes());
        try (var files = Files.list(s.cacheDir().resolve("pytorch/2.7.1-cpu-linux-x86_64"))) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().endsWith("libdjl_torch.so")),
                    "DJL loaded libtorch from the node's cache (and put its JNI library beside it)");
        }
        System.out.printf(java.util.Locale.ROOT, "app jar %.1f MB, without libtorch %.1f MB (made in %.1f s); node cache prepared in %.1f s%n",
                s.allBytes() / 1e6, s.slimBytes() / 1e6, s.slimSeconds(), s.prepareSeconds());
    }

    @Test
    @Order(5)
    void theS3SecretIsInNoOutputAndNoLog() {
        int[] scanned = scenario.scanned();
        assertTrue(scanned[0] > 100 && scanned[1] > 20, "scanned " + scanned[0] + " objects and " + scanned[1] + " logs");
        List<String> leaks = scenario.holding(scenario.s3.secretKey);
        assertEquals(List.of(), leaks, "files holding the S3 secret key");
    }

    private ClusterScenario.Ran last(String job, Submit.Mode mode) {
        List<ClusterScenario.Ran> runs = scenario.ran.stream().filter(r -> r.job().equals(job) && r.mode() == mode).toList();
        return runs.get(runs.size() - 1);
    }

    private void assertExecutorsOnBothWorkers(String job, Submit.Mode mode) {
        String executors = last(job, mode).executors();
        assertTrue(executors.contains("worker-0") && executors.contains("worker-1"), executors);
    }
}
