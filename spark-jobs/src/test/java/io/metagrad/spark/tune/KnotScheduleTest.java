package io.metagrad.spark.tune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The knot parameterization: interpolation, its adjoint, and the log-space box. */
class KnotScheduleTest {

    @Test
    void ratesInterpolateLinearlyBetweenKnots() {
        KnotSchedule s = new KnotSchedule(9, 3); // knots at steps 0, 4, 8
        assertArrayEquals(new int[] {0, 4, 8}, s.positions());
        assertArrayEquals(new double[] {1, 1.25, 1.5, 1.75, 2, 1.5, 1, 0.5, 0}, s.rates(new double[] {1, 2, 0}), 1e-15);
        assertArrayEquals(new double[] {0.3, 0.3, 0.3}, new KnotSchedule(3, 1).rates(new double[] {0.3}));
        double[] perStep = {0.1, 0.5, 0.2, 0.4};
        assertArrayEquals(perStep, new KnotSchedule(4, 4).rates(perStep));
        assertArrayEquals(new double[] {1, 2, 0}, s.sample(s.rates(new double[] {1, 2, 0})));
    }

    @ParameterizedTest(name = "T={0}, K={1}")
    @CsvSource({"10,1", "10,2", "10,3", "10,7", "10,10", "97,5", "400,20"})
    void adjointIsTheTransposeOfTheInterpolation(int steps, int knots) {
        KnotSchedule s = new KnotSchedule(steps, knots);
        Random r = new Random(steps * 31L + knots);
        double[] v = r.doubles(knots).toArray();
        double[] g = r.doubles(steps).map(x -> x - 0.5).toArray();
        double[] jv = s.rates(v);
        double[] jtg = s.adjoint(g);
        double left = 0;
        double right = 0;
        for (int t = 0; t < steps; t++) {
            left += jv[t] * g[t];
        }
        for (int k = 0; k < knots; k++) {
            right += v[k] * jtg[k];
        }
        assertEquals(left, right, 1e-12 * Math.max(1, Math.abs(left)));
    }

    @Test
    void moreKnotsThanStepsOrNoneAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new KnotSchedule(5, 6));
        assertTrue(e.getMessage().contains("--knots 6"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new KnotSchedule(5, 0));
    }

    @Test
    void logSpaceStaysInsideTheBoxAndItsChainRuleScalesByTheValue() {
        TuneSpace space = new TuneSpace(new KnotSchedule(4, 2), new double[] {0.01, 1}, true, new double[] {1e-5, 1e-2});
        double[] z = space.start(new double[] {0.001, 0.1, 0.2, 5}, 0.001);
        assertArrayEquals(new double[] {Math.log(0.01), Math.log(1), Math.log(0.001)}, z, 1e-12); // clipped into the box
        double[] g = space.chain(z, new double[] {1, 0, 0, 1}, 2);
        assertArrayEquals(new double[] {0.01 * 1, 1.0 * 1, 0.001 * 2}, g, 1e-12);
        z[0] = 10;
        space.project(z);
        assertEquals(Math.log(1), z[0], 1e-15);
    }
}
