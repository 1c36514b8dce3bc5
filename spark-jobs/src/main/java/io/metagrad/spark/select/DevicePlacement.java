package io.metagrad.spark.select;

import java.io.Serializable;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.resource.ResourceProfileBuilder;
import org.apache.spark.resource.TaskResourceRequests;
import org.apache.spark.sql.SparkSession;

/**
 * Where replica tasks train: on the CPU (default) or, with {@code mgd.device=gpu}, on one GPU per
 * task. On a cluster (standalone, YARN, Kubernetes, {@code local-cluster}) the replica stage then
 * asks for {@code gpu: 1} per task through stage-level scheduling and each task trains on the GPU
 * address Spark gave it. Plain {@code local[N]} mode has no task resources (Spark rejects task
 * resource profiles there), so every task uses GPU 0 of the one machine.
 */
final class DevicePlacement implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Configuration key; {@code spark-submit} passes only {@code spark.*} keys, so it also reads {@code spark.mgd.device}. */
    static final String KEY = "mgd.device";

    private final boolean gpu;
    private final boolean localMode;

    DevicePlacement(boolean gpu, boolean localMode) {
        this.gpu = gpu;
        this.localMode = localMode;
    }

    /** Reads {@code mgd.device} (or {@code spark.mgd.device}) and the master of the session. */
    static DevicePlacement of(SparkSession spark) {
        String value = spark.conf().get(KEY, spark.conf().get("spark." + KEY, "cpu")).trim();
        boolean gpu = switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "cpu" -> false;
            case "gpu" -> true;
            default -> throw new IllegalArgumentException(KEY + " = " + value + " invalid; use cpu or gpu");
        };
        String master = spark.sparkContext().master();
        return new DevicePlacement(gpu, master.startsWith("local") && !master.startsWith("local-cluster"));
    }

    boolean gpu() { return gpu; }

    /** {@code cpu} or {@code gpu}, for manifests and messages. */
    String describe() {
        return gpu ? (localMode ? "gpu (local mode: GPU 0)" : "gpu (one per task)") : "cpu";
    }

    /** The profile the replica stage runs with: one CPU and one GPU per task; empty on the CPU and in local mode. */
    Optional<ResourceProfile> profile() {
        if (!gpu || localMode) {
            return Optional.empty();
        }
        return Optional.of(gpuProfile());
    }

    /** One CPU and one GPU per task (task resources only, so it works without dynamic allocation). */
    static ResourceProfile gpuProfile() {
        return new ResourceProfileBuilder().require(new TaskResourceRequests().cpus(1).resource("gpu", 1.0)).build();
    }

    /** The DJL device name for the running task: {@code cpu}, or {@code gpu:N} with the address Spark assigned. */
    String deviceOf(TaskContext task) {
        if (!gpu) {
            return "cpu";
        }
        if (localMode) {
            return "gpu:0";
        }
        Map<String, ResourceInformation> resources = task == null ? Map.of() : task.resourcesJMap();
        return deviceOfGpus(resources.get("gpu"));
    }

    /** {@code gpu:N} for the first address of a task's {@code gpu} resource. */
    static String deviceOfGpus(ResourceInformation gpus) {
        if (gpus == null || gpus.addresses().length == 0) {
            throw new IllegalStateException("mgd.device=gpu but the task was given no GPU; give executors GPUs"
                    + " (spark.executor.resource.gpu.amount and a discovery script)");
        }
        String address = gpus.addresses()[0].trim();
        if (!address.matches("\\d+")) {
            throw new IllegalStateException("GPU address '" + address + "' is not a device index");
        }
        return "gpu:" + Integer.parseInt(address);
    }
}
