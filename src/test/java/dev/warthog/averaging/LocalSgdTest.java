package dev.warthog.averaging;

import dev.warthog.data.Dataset;
import dev.warthog.engine.Stragglers;
import dev.warthog.engine.WorkerFailedException;
import dev.warthog.objective.Loss;
import dev.warthog.objective.Problem;
import dev.warthog.solver.Result;
import dev.warthog.solver.Sgd;
import dev.warthog.solver.SolverOptions;
import dev.warthog.solver.Solvers;
import dev.warthog.testutil.Numerics;
import dev.warthog.testutil.TestData;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class LocalSgdTest {
    static final Dataset HEART = TestData.heartScale();
    static final Problem LOGISTIC = Problem.of(HEART, Loss.LOGISTIC, 1e-2, 0);
    static final double F_STAR = 0.378775243339;   // shared/data/README.md, logistic lam 1e-2

    static LocalSgd.Builder pasgd(int m, int tau, int batch) {
        return LocalSgd.builder().workers(m).tau(tau).batch(batch).seed(7).step(0.05)
                .schedule(Sgd.Schedule.CONSTANT).epochs(3);
    }

    /** Runs the serial reference for as many local steps as the solver takes (3 epochs). */
    static double[] reference(SerialPasgd ref, int tau, long steps, double eta) {
        for (long k = 0; k < steps; ) {
            int s = (int) Math.min(tau, steps - k);
            ref.period(s, eta);
            k += s;
        }
        return ref.model();
    }

    @Test
    void tauOneIsSynchronousSgdStepForStep() {
        int m = 3, b = 2;
        for (int epochs : new int[] {1, 3}) {
            Result r = pasgd(m, 1, b).epochs(epochs).build().solve(LOGISTIC, Numerics.quiet(LOGISTIC));
            long steps = (long) epochs * ((HEART.rows() + m * b - 1) / (m * b));
            assertEquals(steps, ((Number) r.extras().get("iterations")).longValue(), "one averaging per local step");
            double[] ref = reference(new SerialPasgd(LOGISTIC, m, b, 7, null, 0, 0), 1, steps, 0.05);
            assertTrue(Numerics.maxAbsDiff(ref, r.weights()) <= 1e-12 * Math.max(1, Numerics.maxAbs(ref)),
                    "epochs " + epochs + ": " + Numerics.maxAbsDiff(ref, r.weights()));
        }
    }

    @Test
    void periodicAveragingMatchesSerialReference() {
        // tau = 4 does not divide the 135 local steps of 3 epochs: the last period is cut short
        Result r = pasgd(3, 4, 2).build().solve(LOGISTIC, Numerics.quiet(LOGISTIC));
        long steps = 3L * ((HEART.rows() + 5) / 6);
        double[] ref = reference(new SerialPasgd(LOGISTIC, 3, 2, 7, null, 0, 0), 4, steps, 0.05);
        assertTrue(Numerics.maxAbsDiff(ref, r.weights()) <= 1e-12, "diff " + Numerics.maxAbsDiff(ref, r.weights()));
        assertEquals((steps + 3) / 4, ((Number) r.extras().get("iterations")).longValue());
        assertEquals(steps * 3, ((Number) r.extras().get("localSteps")).longValue());
    }

    /**
     * Seed 003: PASGD with tau = 1 is fully synchronous mini-batch SGD. The two solvers share the
     * row partition, the per-worker streams and the schedule, so after every epoch the iterates
     * agree to rounding (local-sgd keeps its replicas in scale form, minibatch-sgd does not, so
     * the last bits differ). A run with another seed differs by far more, so the check can fail.
     */
    @Test
    void tauOneEqualsMinibatchSgdModelForm() {
        int m = 3, b = 2;
        for (int epochs = 1; epochs <= 3; epochs++) {
            Result local = Solvers.byName("local-sgd", SolverOptions.builder().threads(2).workers(m).seed(7L).step(0.05)
                    .schedule("constant").epochs(epochs).batch(b).tau(1).build()).solve(LOGISTIC, Numerics.quiet(LOGISTIC));
            Result mb = Solvers.byName("minibatch-sgd", SolverOptions.builder().threads(2).workers(m).seed(7L).step(0.05)
                    .schedule("constant").epochs(epochs).batch(m * b).form("model").build()).solve(LOGISTIC, Numerics.quiet(LOGISTIC));
            Result other = Solvers.byName("minibatch-sgd", SolverOptions.builder().threads(2).workers(m).seed(8L).step(0.05)
                    .schedule("constant").epochs(epochs).batch(m * b).form("model").build()).solve(LOGISTIC, Numerics.quiet(LOGISTIC));
            assertTrue(Numerics.maxAbsDiff(mb.weights(), local.weights()) <= 1e-12 * Math.max(1, Numerics.maxAbs(mb.weights())),
                    "epoch " + epochs + ": local-sgd tau=1 vs minibatch-sgd model form differ by "
                            + Numerics.maxAbsDiff(mb.weights(), local.weights()));
            assertTrue(Numerics.maxAbsDiff(mb.weights(), other.weights()) > 1e-6, "another seed must give other iterates");
        }
    }

    @Test
    void resultsDoNotDependOnThreads() {
        for (String shares : new String[] {null, "0:0.5,2:0"}) {
            double[] first = null;
            for (int t = 1; t <= 4; t++) {
                Result r = pasgd(4, 3, 2).threads(t).shares(shares).build().solve(LOGISTIC, Numerics.quiet(LOGISTIC));
                assertEquals(Math.min(t, 4), r.threads());
                if (first == null) first = r.weights();
                else Numerics.assertBitsEqual(first, r.weights(), "M=4 shares " + shares + " at " + t + " threads");
            }
            // block momentum and local momentum, too
            double[] bm1 = pasgd(4, 3, 2).localMomentum(0.9).blockMomentum(0.3).step(0.005).threads(1).shares(shares).build()
                    .solve(LOGISTIC, Numerics.quiet(LOGISTIC)).weights();
            double[] bm3 = pasgd(4, 3, 2).localMomentum(0.9).blockMomentum(0.3).step(0.005).threads(3).shares(shares).build()
                    .solve(LOGISTIC, Numerics.quiet(LOGISTIC)).weights();
            Numerics.assertBitsEqual(bm1, bm3, "block momentum, shares " + shares);
        }
    }

    @Test
    void reproducibleFromTheSeed() {
        double[] a = pasgd(3, 4, 1).threads(2).build().solve(LOGISTIC, Numerics.quiet(LOGISTIC)).weights();
        double[] b = pasgd(3, 4, 1).threads(2).build().solve(LOGISTIC, Numerics.quiet(LOGISTIC)).weights();
        double[] c = pasgd(3, 4, 1).threads(2).seed(8).build().solve(LOGISTIC, Numerics.quiet(LOGISTIC)).weights();
        Numerics.assertBitsEqual(a, b, "same seed");
        assertTrue(Numerics.maxAbsDiff(a, c) > 0, "another seed samples other rows");
    }

    @Test
    void blockMomentumMatchesHandComputedPeriods() {
        // two workers, tau = 2, local momentum 0.9 cleared after each averaging, beta_glob 0.3
        SerialPasgd ref = new SerialPasgd(LOGISTIC, 2, 1, 7, null, 0.9, 0.3);
        ref.period(2, 0.01);
        ref.period(2, 0.01);
        double[] want = ref.model().clone();
        // by hand from the first period's start (0): u_1 = G_1, x_1 = -eta u_1; u_2 = 0.3 u_1 + G_2
        long perEpoch = (HEART.rows() + 1) / 2;
        Result r = LocalSgd.builder().workers(2).tau(2).batch(1).seed(7).step(0.01).schedule(Sgd.Schedule.CONSTANT)
                .localMomentum(0.9).blockMomentum(0.3).epochs(1).build()
                .solve(LOGISTIC, Numerics.quiet(LOGISTIC));
        assertTrue(perEpoch > 4);
        // the solver ran a whole epoch; redo the reference for as many periods
        SerialPasgd full = new SerialPasgd(LOGISTIC, 2, 1, 7, null, 0.9, 0.3);
        for (long k = 0; k < perEpoch; k += 2) full.period((int) Math.min(2, perEpoch - k), 0.01);
        assertTrue(Numerics.maxAbsDiff(full.model(), r.weights()) <= 1e-12, "diff " + Numerics.maxAbsDiff(full.model(), r.weights()));
        // and the two-period state against eq. (7)-(8) written out: x_2 = x_1 - eta (beta u_1 + G_2)
        SerialPasgd plain = new SerialPasgd(LOGISTIC, 2, 1, 7, null, 0.9, 0);
        plain.period(2, 0.01);
        double[] x1 = plain.model().clone();          // beta irrelevant in period 1: x_1 = 0 - eta G_1
        double[] g1 = new double[x1.length];
        for (int j = 0; j < x1.length; j++) g1[j] = -x1[j] / 0.01;
        plain.period(2, 0.01);                        // plain average: x_1 - eta G_2
        for (int j = 0; j < x1.length; j++) {
            double g2 = (x1[j] - plain.model()[j]) / 0.01;
            double x2 = x1[j] - 0.01 * (0.3 * g1[j] + g2);
            assertEquals(x2, want[j], 1e-12, "coordinate " + j);
        }
    }

    @Test
    void zeroShareWorkerKeepsTheAverageAndIsAveragedIn() {
        // worker 1 has no rows: each round x = (x_0 after tau steps + x) / 2
        var shares = Shares.parse("1:0", 2);
        var parts = shares.split(HEART.all(), 7);
        assertEquals(0, parts[1].size());
        assertEquals(HEART.rows(), parts[0].size());
        Result r = pasgd(2, 3, 2).shares("1:0").threads(2).build().solve(LOGISTIC, Numerics.quiet(LOGISTIC));
        long steps = 3L * ((HEART.rows() + 3) / 4);
        double[] ref = reference(new SerialPasgd(LOGISTIC, 2, 2, 7, parts, 0, 0), 3, steps, 0.05);
        assertTrue(Numerics.maxAbsDiff(ref, r.weights()) <= 1e-12);
        assertEquals(steps, ((Number) r.extras().get("localSteps")).longValue(), "only worker 0 steps");
    }

    @Test
    void convergesToTheNoiseFloorOnHeartScale() {
        Result r = LocalSgd.builder().workers(4).threads(2).tau(4).seed(3).epochs(30).build().solve(LOGISTIC, Numerics.quiet(LOGISTIC));
        assertEquals(F_STAR, r.objective(), 0.01 * F_STAR);
    }

    @Test
    void commDelayMakesRoundsLonger() {
        Result r = pasgd(2, 45, 3).threads(2).commDelayMs(20).epochs(2).build().solve(LOGISTIC, Numerics.quiet(LOGISTIC));
        int rounds = ((Number) r.extras().get("iterations")).intValue();
        assertEquals(2, rounds);
        assertTrue((double) r.extras().get("commSeconds") >= rounds * 0.020);
        assertTrue((double) r.extras().get("aggregateSeconds") >= rounds * 0.020);
        assertTrue(r.trainSeconds() >= rounds * 0.020);
    }

    @Test
    void stragglerSettingsNamingAMissingWorkerFail() {
        var e = assertThrows(IllegalArgumentException.class, () -> pasgd(2, 2, 1)
                .stragglers(Stragglers.parse("3:2", null, null)).build().solve(LOGISTIC, Numerics.quiet(LOGISTIC)));
        assertTrue(e.getMessage().contains("worker 3"), e.getMessage());
    }

    @Test
    void aFailingWorkerEndsTheRunWithItsException() {
        for (int t : new int[] {1, 2}) {
            var boom = new IllegalStateException("boom");
            var e = assertThrows(WorkerFailedException.class, () -> pasgd(3, 4, 1).threads(t)
                    .hook((w, k) -> { if (w == 1 && k == 6) throw boom; }).build().solve(LOGISTIC, Numerics.quiet(LOGISTIC)));
            assertSame(boom, e.getCause());
        }
    }

    @Test
    void byNameBuildsAndRejects() {
        var s = Solvers.byName("local-sgd", SolverOptions.builder().threads(2).tau(8).commDelayMs(0.0).build());
        assertEquals("local-sgd", s.name());
        assertEquals(8, ((LocalSgd) s).tau());
        var e = assertThrows(IllegalArgumentException.class,
                () -> Solvers.byName("local-sgd", SolverOptions.builder().localSteps(3).build()));
        assertTrue(e.getMessage().contains("local-steps"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Solvers.byName("local-sgd", SolverOptions.builder().threads(2).shares("5:0.5").build()));
        assertTrue(e.getMessage().contains("--shares"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Solvers.byName("fedavg", SolverOptions.builder().tau(3).build()));
        assertTrue(e.getMessage().contains("tau"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Solvers.byName("adacomm", SolverOptions.builder().interval("abc").build()));
        assertTrue(e.getMessage().contains("--interval"), e.getMessage());
    }
}
