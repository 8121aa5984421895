package dev.warthog.hogwild;

import dev.warthog.data.Dataset;
import dev.warthog.data.Row;
import dev.warthog.engine.Partitioning;
import dev.warthog.gen.Generators;
import dev.warthog.objective.Loss;
import dev.warthog.objective.Problem;
import dev.warthog.shared.AccessMode;
import dev.warthog.solver.Lbfgs;
import dev.warthog.solver.Result;
import dev.warthog.solver.Sgd;
import dev.warthog.testutil.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;
import java.util.SplittableRandom;

import static dev.warthog.testutil.Numerics.*;
import static org.junit.jupiter.api.Assertions.*;

class HogwildTest {
    static final Dataset HEART = TestData.heartScale();

    @Test
    void oneThreadWithoutPenaltyIsSerialSgdStepForStep() {
        Problem p = Problem.of(HEART, Loss.LOGISTIC, 0, 0);
        double eta = 0.05, decay = 0.9;
        Result sgd = Sgd.builder().epochs(7).step(eta).schedule(Sgd.Schedule.EPOCH_DECAY).decay(decay).seed(42).build().solve(p);
        for (AccessMode mode : AccessMode.values()) {
            Result hw = Hogwild.builder().threads(1).access(mode).epochs(7).step(eta).decay(decay).seed(42).build().solve(p);
            if (mode == AccessMode.OPAQUE || mode == AccessMode.ATOMIC) {
                // element-wise VarHandle reads sum the margin in another order than the kernels: equal to rounding
                for (int j = 0; j < p.dim(); j++) assertEquals(sgd.weights()[j], hw.weights()[j], 1e-12, mode.cliName());
            } else {
                assertBitsEqual(sgd.weights(), hw.weights(), mode.cliName());
            }
        }
    }

    /** The update documented in Hogwild's Javadoc, written plainly: the independent serial reference. */
    static double[] referenceSerial(Problem p, int epochs, double eta0, double decay, long seed) {
        Dataset d = p.data();
        int n = d.rows();
        double[] count = new double[d.cols()];
        Row r = new Row();
        for (int i = 0; i < n; i++) { d.row(i, r); for (int k = 0; k < r.nnz; k++) count[r.column(k)]++; }
        double[] w = new double[d.cols()];
        int[] order = new int[n];
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int e = 1; e <= epochs; e++) {
            double eta = eta0 * Math.pow(decay, e - 1);
            for (int k = 0; k < n; k++) order[k] = k;
            for (int k = n - 1; k > 0; k--) { int j = rnd.nextInt(k + 1); int t = order[k]; order[k] = order[j]; order[j] = t; }
            for (int t = 0; t < n; t++) {
                d.row(order[t], r);
                double m = 0;
                for (int k = 0; k < r.nnz; k++) m += r.value(k) * w[r.column(k)];
                double g = p.loss().derivative(m, r.label);
                for (int k = 0; k < r.nnz; k++) {
                    int j = r.column(k);
                    w[j] = w[j] - eta * g * r.value(k) - Math.min(eta * (p.l2() * n / count[j]), 1.0) * w[j];
                }
            }
        }
        return w;
    }

    @Test
    void oneThreadWithFrequencyScaledShrinkFollowsTheDocumentedUpdate() {
        // 13 features: the margins are short sums, so the kernels' summation order is the reference's
        Problem p = Problem.of(HEART, Loss.HINGE, 1e-2, 0);
        Result hw = Hogwild.builder().threads(1).epochs(5).step(0.02).decay(0.8).seed(9).build().solve(p);
        double[] ref = referenceSerial(p, 5, 0.02, 0.8, 9);
        for (int j = 0; j < ref.length; j++) assertEquals(ref[j], hw.weights()[j], 1e-12 * (1 + Math.abs(ref[j])));
    }

    @Test
    void aLargeStepWithRareFeaturesStaysFinite() {
        // eta c_j far above 1 for features seen in few rows: the capped shrink must not blow up
        Dataset d = Generators.analog(20_000, 20_000, 5);
        Problem p = Problem.of(d, Loss.LOGISTIC, 1e-3, 0);
        for (AccessMode mode : new AccessMode[] {AccessMode.PLAIN, AccessMode.ATOMIC, AccessMode.OPAQUE}) {
            Result r = Hogwild.builder().threads(2).access(mode).epochs(3).step(4).seed(3).build().solve(p);
            // uncapped, each touch multiplied w_j by about 1 - 10.7 and F(w) overflowed past 1e100
            assertTrue(Double.isFinite(r.objective()) && r.objective() < 10, mode + ": " + r.objective());
        }
    }

    @ParameterizedTest
    @EnumSource(AccessMode.class)
    void severalThreadsReachTheSerialObjectiveOnHeartScale(AccessMode mode) {
        Problem p = Problem.of(HEART, Loss.LOGISTIC, 1e-2, 0);
        double fStar = Lbfgs.builder().build().solve(p).objective();
        double serial = Hogwild.builder().threads(1).epochs(60).step(0.05).decay(0.95).seed(1).build().solve(p).objective();
        for (int threads : new int[] {2, 4}) {
            Result r = Hogwild.builder().threads(threads).access(mode).partitioning(Partitioning.RANDOM)
                    .epochs(60).step(0.05).decay(0.95).seed(1).build().solve(p);
            // the SGD noise floor at this step: both within 1% of F*, and of each other
            assertEquals(fStar, r.objective(), 0.01 * fStar, mode + " x" + threads);
            assertEquals(serial, r.objective(), 0.01 * fStar, mode + " x" + threads);
            assertEquals(60L * HEART.rows(), r.samples(), "every update is counted");
        }
    }

    @Test
    void severalThreadsReachTheSerialObjectiveOnAnalogData() {
        Dataset d = Generators.analog(40_000, 5_000, 4);
        Problem p = Problem.of(d, Loss.HINGE, 1e-4, 0);
        Result serial = Hogwild.builder().threads(1).epochs(8).step(0.5).decay(0.8).seed(2).build().solve(p);
        Result two = Hogwild.builder().threads(2).epochs(8).step(0.5).decay(0.8).seed(2).build().solve(p);
        Result four = Hogwild.builder().threads(4).access(AccessMode.ATOMIC).partitioning(Partitioning.STRIDED)
                .epochs(8).step(0.5).decay(0.8).seed(2).build().solve(p);
        assertEquals(serial.objective(), two.objective(), 0.02 * serial.objective());
        assertEquals(serial.objective(), four.objective(), 0.02 * serial.objective());
        double acc = dev.warthog.objective.Metrics.accuracy(p.data(), serial.weights());
        assertTrue(acc > 0.85, "analog data is separable by construction; accuracy " + acc);
        assertTrue(dev.warthog.objective.Metrics.accuracy(p.data(), two.weights()) > acc - 0.01);
    }

    @Test
    @SuppressWarnings("unchecked")
    void stalenessIsMeasuredZeroForOneThread() {
        Problem p = Problem.of(HEART, Loss.LOGISTIC, 1e-3, 0);
        Result one = Hogwild.builder().threads(1).epochs(3).seed(1).build().solve(p);
        Map<String, Object> st = (Map<String, Object>) one.extras().get("staleness");
        assertEquals(0L, st.get("max"));
        assertEquals(3L * HEART.rows() / 16, (long) st.get("measured"), 3.0);
        assertEquals(3L * HEART.rows(), one.extras().get("updates"));
        assertEquals("plain", one.extras().get("access"));

        Dataset d = Generators.text(20_000, 2_000, 40, 1);
        Result four = Hogwild.builder().threads(4).epochs(2).stalenessEvery(4).seed(1).build()
                .solve(Problem.of(d, Loss.LOGISTIC, 1e-4, 0));
        Map<String, Object> s4 = (Map<String, Object>) four.extras().get("staleness");
        assertEquals(2L * 20_000 / 4, (long) s4.get("measured"), 4.0);
        assertTrue((double) s4.get("mean") >= 0);
        long inHistogram = ((Map<String, Long>) s4.get("histogram")).values().stream().mapToLong(Long::longValue).sum();
        assertEquals((long) s4.get("measured"), inHistogram);
    }

    @Test
    void rejectsL1() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Hogwild.builder().build().solve(Problem.of(HEART, Loss.LOGISTIC, 0, 1e-3)));
        assertTrue(e.getMessage().contains("l2 penalty only"));
    }

    @Test
    void shrinkIsUnbiasedForTheL2Penalty() {
        // E over a uniform row of c_j 1{j in supp(x_i)} = l2 for every feature that occurs
        Dataset d = Generators.text(3000, 400, 20, 8);
        Problem p = Problem.of(d, Loss.LOGISTIC, 0.5, 0);
        double[] c = Hogwild.shrinkCoefficients(p);
        double[] expected = new double[d.cols()];
        Row r = new Row();
        for (int i = 0; i < d.rows(); i++) { d.row(i, r); for (int k = 0; k < r.nnz; k++) expected[r.column(k)] += c[r.column(k)] / d.rows(); }
        for (int j = 0; j < d.cols(); j++) if (expected[j] != 0) assertEquals(0.5, expected[j], 1e-12);
    }
}
