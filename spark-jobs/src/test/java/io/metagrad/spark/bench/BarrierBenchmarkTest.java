package io.metagrad.spark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metagrad.spark.SparkSessions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code bench barrier} runs a real barrier stage whose tasks exchange whole gradients (each task checks the sum
 * of what allGather returned) and reports ordered figures. How long a round takes is the benchmark's output, not
 * asserted here.
 */
class BarrierBenchmarkTest {

    @Test
    void twoTasksExchangeWholeGradientsAndReportOrderedRoundTimes() {
        Map<String, Object> line = BarrierBenchmark.run(SparkSessions.getOrCreate("barrier-benchmark-test"),
                new BarrierBenchmark.Options(2, 1000, 4, 0));
        assertEquals(2, line.get("tasks"));
        assertEquals(4000L, line.get("message_bytes"));
        double min = (Double) line.get("allgather_ms_min");
        double median = (Double) line.get("allgather_ms_median");
        double max = (Double) line.get("allgather_ms_max");
        assertTrue(0 < min && min <= median && median <= max, line.toString());
    }
}
