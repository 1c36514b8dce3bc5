package io.metagrad.spark.poison;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Where a poison may go: the box, the L2 ball around each original row, the simplex of soft labels. */
class ConstraintsTest {

    @Test
    void theBoxClipsEveryCoordinateOfTheRowOnly() {
        double[] x = {-1, 0.5, 2, 9, 9};
        new InputConstraint.Box(0, 1).project(x, 1, null, 0, 3);
        assertArrayEquals(new double[] {-1, 0.5, 1, 1, 9}, x);
        assertThrows(IllegalArgumentException.class, () -> new InputConstraint.Box(1, 1));
        assertTrue(new InputConstraint.Box(0, 1).contains(1 + 1e-7));
        assertTrue(!new InputConstraint.Box(0, 1).contains(1.01));
    }

    @Test
    void theBallPullsARowBackAlongTheRayToItsOriginalAndLeavesInsidePointsAlone() {
        double[] x0 = {1, 1, 0};
        double[] far = {4, 5, 0}; // distance 5 from x0
        new InputConstraint.Ball(2).project(far, 0, x0, 0, 3);
        assertArrayEquals(new double[] {1 + 2 * 0.6, 1 + 2 * 0.8, 0}, far, 1e-12);
        double[] near = {1.5, 1, 0};
        new InputConstraint.Ball(2).project(near, 0, x0, 0, 3);
        assertArrayEquals(new double[] {1.5, 1, 0}, near);
        assertThrows(IllegalArgumentException.class, () -> new InputConstraint.Ball(0));
    }

    @Test
    void simplexProjectionIsTheNearestDistribution() {
        double[] v = {0.9, 0.4, -0.3};
        Simplex.project(v, 0, 3);
        assertArrayEquals(new double[] {0.75, 0.25, 0}, v, 1e-12);
        Random r = new Random(2);
        for (int trial = 0; trial < 200; trial++) {
            double[] p = r.doubles(5).map(x -> 3 * x - 1).toArray();
            double[] q = p.clone();
            Simplex.project(q, 0, 5);
            double sum = 0;
            for (double x : q) {
                assertTrue(x >= 0);
                sum += x;
            }
            assertEquals(1, sum, 1e-12);
            double[] again = q.clone();
            Simplex.project(again, 0, 5);
            assertArrayEquals(q, again, 1e-12); // a distribution is its own projection
            // no other distribution is closer: compare with random ones
            double best = distance(p, q);
            for (int k = 0; k < 20; k++) {
                double[] d = r.doubles(5).toArray();
                double s = java.util.Arrays.stream(d).sum();
                for (int i = 0; i < 5; i++) {
                    d[i] /= s;
                }
                assertTrue(distance(p, d) >= best - 1e-12);
            }
        }
    }

    @Test
    void boxSpecsParseAndRefuseBadText() {
        assertEquals(BoxSpec.DATA, BoxSpec.parse("data"));
        assertEquals(BoxSpec.Kind.PIXELS, BoxSpec.parse("pixels").kind());
        assertEquals(new BoxSpec(BoxSpec.Kind.EXPLICIT, -0.5, 2), BoxSpec.parse("-0.5, 2"));
        assertThrows(IllegalArgumentException.class, () -> BoxSpec.parse("0"));
        assertThrows(IllegalArgumentException.class, () -> BoxSpec.parse("a,b"));
        assertThrows(IllegalArgumentException.class, () -> BoxSpec.parse("2,1"));
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return s;
    }
}
