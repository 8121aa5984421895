package dev.warthog.testutil;

import dev.warthog.objective.Problem;
import dev.warthog.trace.Tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Comparisons and quiet trackers shared by the solver tests. */
public final class Numerics {
    private Numerics() {}

    /** |f - f*| / |f*|. */
    public static double rel(double f, double fStar) { return Math.abs(f - fStar) / Math.abs(fStar); }

    /** A tracker that evaluates rarely (fast), still checking cancellation at every record. */
    public static Tracker quiet(Problem p) { return Tracker.builder(p).evalEvery(1 << 30).build(); }

    public static double maxAbs(double[] a) {
        double m = 0;
        for (double x : a) m = Math.max(m, Math.abs(x));
        return m;
    }

    public static double maxAbsDiff(double[] a, double[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int j = 0; j < a.length; j++) m = Math.max(m, Math.abs(a[j] - b[j]));
        return m;
    }

    /** Equal raw IEEE bits, coordinate by coordinate. */
    public static void assertBitsEqual(double[] a, double[] b, String what) {
        assertEquals(a.length, b.length);
        for (int j = 0; j < a.length; j++)
            assertEquals(Double.doubleToRawLongBits(a[j]), Double.doubleToRawLongBits(b[j]),
                    what + ", coordinate " + j + ": " + a[j] + " vs " + b[j]);
    }
}
