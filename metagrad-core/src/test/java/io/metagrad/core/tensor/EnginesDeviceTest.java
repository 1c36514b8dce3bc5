package io.metagrad.core.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class EnginesDeviceTest {

    @Test
    void parsesDeviceNames() {
        assertEquals(Device.cpu(), Engines.parseDevice("cpu"));
        assertEquals(Device.gpu(0), Engines.parseDevice("gpu"));
        assertEquals(Device.gpu(3), Engines.parseDevice("gpu:3"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Engines.parseDevice("cuda0"));
        assertTrue(bad.getMessage().contains("cuda0"));
    }

    @Test
    void threadDeviceAppliesUntilClosedAndNests() {
        try (Engines.DeviceScope outer = Engines.onDevice("cpu")) {
            try (NDManager m = Engines.newManager()) {
                assertEquals(Device.cpu(), m.getDevice());
            }
            try (Engines.DeviceScope inner = Engines.onDevice("cpu")) {
                try (NDManager m = Engines.newManager()) {
                    assertEquals(Device.cpu(), m.getDevice());
                }
            }
        }
        try (NDManager m = Engines.newManager()) {
            assertEquals(Engines.pytorch().defaultDevice(), m.getDevice());
        }
    }

    @Test
    void refusesGpuTheEngineCannotSee() {
        int gpus = Engines.pytorch().getGpuCount();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Engines.onDevice("gpu:" + gpus));
        assertTrue(e.getMessage().contains("GPU"), e.getMessage());
    }
}
