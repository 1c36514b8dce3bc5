package io.metagrad.spark.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.resource.TaskResourceRequest;
import org.junit.jupiter.api.Test;

class DevicePlacementTest {

    @Test
    void gpuProfileAsksOneCpuAndOneGpuPerTask() {
        ResourceProfile p = DevicePlacement.gpuProfile();
        TaskResourceRequest gpu = p.taskResourcesJMap().get("gpu");
        assertEquals(1.0, gpu.amount());
        assertEquals(1.0, p.taskResourcesJMap().get("cpus").amount());
        assertTrue(p.executorResourcesJMap().isEmpty(), "task resources only: no dynamic allocation needed");
    }

    @Test
    void cpuAndLocalModeNeedNoProfile() {
        DevicePlacement cpu = new DevicePlacement(false, false);
        assertTrue(cpu.profile().isEmpty());
        assertEquals("cpu", cpu.deviceOf((org.apache.spark.TaskContext) null));
        DevicePlacement local = new DevicePlacement(true, true);
        assertTrue(local.profile().isEmpty(), "Spark rejects task resource profiles in local mode");
        assertEquals("gpu:0", local.deviceOf((org.apache.spark.TaskContext) null));
        assertTrue(new DevicePlacement(true, false).profile().isPresent());
    }

    @Test
    void taskGpuAddressBecomesTheDjlDevice() {
        assertEquals("gpu:3", DevicePlacement.deviceOfGpus(new ResourceInformation("gpu", new String[] {"3"})));
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> DevicePlacement.deviceOfGpus(null));
        assertTrue(none.getMessage().contains("no GPU"));
        assertThrows(IllegalStateException.class,
                () -> DevicePlacement.deviceOfGpus(new ResourceInformation("gpu", new String[] {"GPU-uuid"})));
    }
}
