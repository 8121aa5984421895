package dev.warthog.objective;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.*;

class LossTest {
    static final double[] MARGINS = {-30, -5, -1.5, -1, -0.7, -0.2, 0, 0.3, 0.9, 1.0, 1.1, 2, 7, 40};

    /**
     * The fast log1p against StrictMath.log1p (fdlibm, under 1 ulp) over e in [0, 1] and
     * beyond: tiny e where 1 + e rounds to 1, e near the rounding of 1 + e, and a dense sweep.
     */
    @Test
    void log1pIsWithinFourUlpsOfFdlibm() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        java.util.List<Double> es = new java.util.ArrayList<>(java.util.List.of(0.0, Double.MIN_VALUE, 1e-300, 1e-17,
                0x1p-53, 0x1p-52, 3e-16, 1e-8, 0.25, 0.5, 1.0, 2.0, 1e3));
        for (int i = 0; i < 20_000; i++) es.add(Math.exp(-r.nextDouble(0, 745)));   // exp(-z) of every margin
        for (double e : es) {
            double want = StrictMath.log1p(e), got = Loss.log1p(e);
            assertTrue(Math.abs(got - want) <= 4 * Math.ulp(want), "log1p(" + e + "): " + got + " vs " + want);
        }
    }

    @ParameterizedTest
    @EnumSource(Loss.class)
    void derivativeMatchesCentralDifference(Loss loss) {
        for (double y : new double[] {-1, 1}) {
            for (double m : MARGINS) {
                if (loss == Loss.HINGE && Math.abs(y * m - 1) < 1e-3) continue;  // kink
                double h = 1e-6;
                double fd = (loss.value(m + h, y) - loss.value(m - h, y)) / (2 * h);
                assertEquals(fd, loss.derivative(m, y), 1e-6 * Math.max(1, Math.abs(fd)), loss + " at m=" + m + " y=" + y);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Loss.class, names = {"LOGISTIC", "SQUARED", "SMOOTH_HINGE"})
    void secondDerivativeIsBoundedBySmoothness(Loss loss) {
        for (double m = -6; m <= 6; m += 0.01) {
            double h = 1e-4;
            double d2 = (loss.derivative(m + h, 1) - loss.derivative(m - h, 1)) / (2 * h);
            assertTrue(d2 <= loss.smoothness() * (1 + 1e-6) + 1e-9, loss + " curvature " + d2 + " at " + m);
        }
    }

    @Test
    void logisticIsStableForHugeMargins() {
        assertEquals(0.0, Loss.LOGISTIC.value(1e6, 1), 0.0);
        assertEquals(1e6, Loss.LOGISTIC.value(-1e6, 1), 1e-9);
        assertEquals(Math.exp(-50), Loss.LOGISTIC.value(50, 1), 1e-30);
        assertEquals(-1.0, Loss.LOGISTIC.derivative(-1e6, 1), 0.0);
        assertEquals(-0.0, Loss.LOGISTIC.derivative(1e6, 1), 1e-300);
        assertEquals(Math.log(2), Loss.LOGISTIC.value(0, -1), 1e-15);
        for (Loss l : Loss.values()) {
            assertTrue(Double.isFinite(l.value(1e300, -1)) || l == Loss.SQUARED, l + " overflowed");
            assertTrue(Double.isFinite(l.derivative(-1e300, 1)) || l == Loss.SQUARED);
        }
    }

    @Test
    void valuesAgainstClosedForms() {
        assertEquals(0.5 * 9, Loss.SQUARED.value(1, 4), 0);
        assertEquals(0, Loss.HINGE.value(2, 1), 0);
        assertEquals(1.5, Loss.HINGE.value(-0.5, 1), 0);
        assertEquals(0.125, Loss.SMOOTH_HINGE.value(0.5, 1), 1e-15);
        assertEquals(1.0, Loss.SMOOTH_HINGE.value(-0.5, 1), 1e-15);
        assertEquals(Math.log1p(Math.exp(-0.3)), Loss.LOGISTIC.value(0.3, 1), 1e-15);
    }

    @Test
    void parseNamesAndRejectsUnknown() {
        assertSame(Loss.SMOOTH_HINGE, Loss.parse("smooth-hinge"));
        var e = assertThrows(IllegalArgumentException.class, () -> Loss.parse("logit"));
        assertTrue(e.getMessage().contains("logit") && e.getMessage().contains("logistic"));
    }
}
