package io.metagrad.spark.descent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Step directions, step-size schedules and the settings' checks; the iterate file's bits. */
class DescentRulesTest {

    @Test
    void signedAndNormalizedDirections() {
        assertArrayEquals(new double[] {1, -1, 0}, StepRule.SIGNED.direction(new double[] {3, -0.1, 0}));
        double[] d = StepRule.NORMALIZED.direction(new double[] {3, -4, 0});
        // rms of (3, −4, 0) is 5/√3
        assertArrayEquals(new double[] {3 * Math.sqrt(3) / 5, -4 * Math.sqrt(3) / 5, 0}, d, 1e-12);
        assertArrayEquals(new double[] {0, 0}, StepRule.NORMALIZED.direction(new double[] {0, 0}));
    }

    @Test
    void stepSizeSchedulesGoFromTheStepSizeToItsFinalFraction() {
        DescentSettings cosine = new DescentSettings(5, 0.2, StepSchedule.COSINE, 0.1, StepRule.SIGNED, 0);
        assertEquals(0.2, cosine.stepSize(1), 1e-15);
        assertEquals(0.02, cosine.stepSize(5), 1e-15);
        assertEquals(0.2 * (0.1 + 0.9 * 0.5), cosine.stepSize(3), 1e-15);
        DescentSettings linear = new DescentSettings(3, 1, StepSchedule.LINEAR, 0, StepRule.SIGNED, 0);
        assertArrayEquals(new double[] {1, 0.5, 0}, new double[] {linear.stepSize(1), linear.stepSize(2), linear.stepSize(3)});
        assertEquals(0.3, new DescentSettings(9, 0.3, StepSchedule.CONSTANT, 0, StepRule.SIGNED, 0).stepSize(7));
    }

    @Test
    void settingsNameTheFlagTheyRefuse() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DescentSettings(3, -1, StepSchedule.CONSTANT, 0.1, StepRule.SIGNED, 0));
        assertTrue(e.getMessage().startsWith("--step-size"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new DescentSettings(3, 1, StepSchedule.CONSTANT, 0.1, StepRule.SIGNED, 4));
        assertTrue(e.getMessage().startsWith("--stop-after"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StepRule.parse("diagonal"));
        assertThrows(IllegalArgumentException.class, () -> StepSchedule.parse("step"));
    }

    @Test
    void iteratesRoundTripBitForBit() {
        double[] v = {0.1, -0.0, Double.MIN_VALUE, 1e300, Math.PI, -7};
        double[] back = Float64Npy.read(Float64Npy.write(v), "test");
        for (int i = 0; i < v.length; i++) {
            assertEquals(Double.doubleToRawLongBits(v[i]), Double.doubleToRawLongBits(back[i]));
        }
        byte[] truncated = java.util.Arrays.copyOf(Float64Npy.write(v), 70);
        assertThrows(IllegalArgumentException.class, () -> Float64Npy.read(truncated, "test"));
    }
}
