package dev.warthog.sync;

import dev.warthog.data.Dataset;
import dev.warthog.data.Row;
import dev.warthog.data.RowSubset;
import dev.warthog.engine.Partitioning;
import dev.warthog.engine.Seeds;
import dev.warthog.engine.Stragglers;
import dev.warthog.engine.WorkerFailedException;
import dev.warthog.kernel.Kernels;
import dev.warthog.objective.Loss;
import dev.warthog.objective.Problem;
import dev.warthog.solver.Lbfgs;
import dev.warthog.solver.Result;
import dev.warthog.solver.Sgd;
import dev.warthog.solver.SolverOptions;
import dev.warthog.solver.Solvers;
import dev.warthog.testutil.TestData;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;

import static dev.warthog.testutil.Numerics.*;
import static org.junit.jupiter.api.Assertions.*;

class MinibatchSgdTest {
    static final Dataset HEART = TestData.heartScale();
    static final Problem LOGISTIC = Problem.of(HEART, Loss.LOGISTIC, 1e-2, 0);
    static final double F_STAR = 0.378775243339;   // shared/data/README.md

    static MinibatchSgd.Builder base(MinibatchSgd.Form form, int threads) {
        return MinibatchSgd.builder().form(form).workers(4).threads(threads).batch(16).epochs(3).seed(7);
    }

    @Test
    void everyFormGivesTheSameBitsForAnyThreadCount() {
        for (MinibatchSgd.Form form : MinibatchSgd.Form.values()) {
            double[] ref = base(form, 1).build().solve(LOGISTIC, quiet(LOGISTIC)).weights();
            for (int t = 2; t <= 4; t++) {
                Result r = base(form, t).build().solve(LOGISTIC, quiet(LOGISTIC));
                assertBitsEqual(ref, r.weights(), form.cliName() + " with " + t + " threads");
                assertEquals(t, r.threads());
            }
        }
    }

    @Test
    void theThreeAggregationsGiveTheSameBits() {
        double[] ref = base(MinibatchSgd.Form.GRADIENT, 2).aggregation(Aggregation.SERVER).build().solve(LOGISTIC, quiet(LOGISTIC)).weights();
        for (Aggregation a : Aggregation.values())
            for (MinibatchSgd.Form f : new MinibatchSgd.Form[]{MinibatchSgd.Form.GRADIENT, MinibatchSgd.Form.REPLICA})
                assertBitsEqual(ref, base(f, 2).aggregation(a).build().solve(LOGISTIC, quiet(LOGISTIC)).weights(), a + " " + f);
    }

    @Test
    void gradientAndReplicaFormsAreBitIdenticalAndModelAggregationAgreesToRounding() {
        // 3 epochs of ceil(270/16) = 17 iterations: 51 iterations
        for (int threads : new int[]{1, 3}) {
            Result g = base(MinibatchSgd.Form.GRADIENT, threads).build().solve(LOGISTIC, quiet(LOGISTIC));
            Result r = base(MinibatchSgd.Form.REPLICA, threads).build().solve(LOGISTIC, quiet(LOGISTIC));
            Result m = base(MinibatchSgd.Form.MODEL, threads).build().solve(LOGISTIC, quiet(LOGISTIC));
            assertEquals(51, g.extras().get("iterations"));
            assertBitsEqual(g.weights(), r.weights(), "gradient vs replica");
            double rel = maxAbsDiff(g.weights(), m.weights()) / maxAbs(g.weights());
            assertTrue(rel < 1e-12, "model vs gradient aggregation: " + rel);
            assertEquals(Boolean.TRUE, g.extras().get("replicasIdentical"), "every worker's replica ends equal (gradient)");
            assertEquals(Boolean.TRUE, m.extras().get("replicasIdentical"), "every worker's replica ends equal (model)");
        }
    }

    /**
     * The update of the class comment for M = 4, written plainly with the same partition and
     * streams: G = (g0 + g1) + (g2 + g3) (the pairwise tree), w = (1 - eta l2) w - (eta / B) G.
     */
    @Test
    void gradientFormIsTheDocumentedUpdateStepForStep() {
        int m = 4, bigB = 16, b = bigB / m, epochs = 2;
        double eta0 = 0.2, decay = 0.8;
        Problem p = LOGISTIC;
        RowSubset[] parts = Partitioning.RANDOM.split(p.data().all(), m, 7);
        SplittableRandom[] rnd = new SplittableRandom[m];
        int[][] order = new int[m][];
        int[] pos = new int[m];
        for (int k = 0; k < m; k++) { rnd[k] = Seeds.forWorker(7, k); order[k] = new int[parts[k].size()]; pos[k] = order[k].length; }
        int d = p.dim();
        double[] w = new double[d];
        Row row = new Row();
        long perEpoch = (p.rows() + bigB - 1) / bigB;
        for (long t = 0; t < epochs * perEpoch; t++) {
            double eta = eta0 * Math.pow(decay, (int) (t / perEpoch));
            double[][] g = new double[m][d];
            for (int k = 0; k < m; k++) {
                for (int q = 0; q < b; q++) {
                    if (pos[k] == order[k].length) { Sgd.epochOrder(order[k].length, rnd[k], order[k]); pos[k] = 0; }
                    parts[k].row(order[k][pos[k]++], row);
                    double dl = p.loss().derivative(Kernels.dot(row, w), row.label);
                    if (dl != 0) Kernels.axpy(dl, row, g[k]);
                }
            }
            for (int j = 0; j < d; j++) {
                double sum = (g[0][j] + g[1][j]) + (g[2][j] + g[3][j]);
                w[j] = w[j] * (1 - eta * p.l2()) - eta / bigB * sum;
            }
        }
        for (int threads = 1; threads <= 2; threads++) {
            Result r = MinibatchSgd.builder().workers(m).threads(threads).batch(bigB).epochs(epochs).step(eta0).decay(decay)
                    .seed(7).build().solve(p, quiet(p));
            assertBitsEqual(w, r.weights(), "threads " + threads);
            assertEquals(epochs * perEpoch * bigB, r.samples());
        }
    }

    /**
     * Constant step eta = 1/(2 L_max): for mu = l2-strongly convex F with L_max-smooth f_i,
     * E||w_k - w*||^2 <= (1 - 2 eta mu (1 - eta L_max))^k ||w*||^2 + eta sigma^2 / (B mu (1 - eta L_max))
     * (seed 002 section IV with a batch of B: variance sigma^2 / B, sigma^2 = mean ||grad f_i(w*)||^2).
     */
    @Test
    void convergesToTheNoiseFloorOfItsStep() {
        assertEquals(F_STAR, LOGISTIC.value(lbfgs(LOGISTIC)), 1e-9, "the L-BFGS reference is the README's optimum");
        Problem p = Problem.of(HEART, Loss.LOGISTIC, 0.1, 0);   // mu = 0.1: a floor well below ||w*||^2
        double[] ws = lbfgs(p);
        double fStar = p.value(ws);
        double lmax = p.sampleSmoothness(), mu = p.l2(), eta = 0.5 / lmax;
        double sigma2 = 0;
        Row r = new Row();
        for (int i = 0; i < p.rows(); i++) {
            p.data().row(i, r);
            double dl = p.loss().derivative(Kernels.dot(r, ws), r.label);
            double[] gi = new double[p.dim()];
            Kernels.axpy(dl, r, gi);
            double s = 0;
            for (int j = 0; j < gi.length; j++) { double v = gi[j] + mu * ws[j]; s += v * v; }
            sigma2 += s / p.rows();
        }
        int bigB = 32, epochs = 150;
        long k = epochs * ((p.rows() + bigB - 1) / bigB);
        double w0 = 0;
        for (double v : ws) w0 += v * v;
        double floor = eta * sigma2 / (bigB * mu * (1 - eta * lmax));
        double bound = Math.pow(1 - 2 * eta * mu * (1 - eta * lmax), k) * w0 + floor;
        assertTrue(bound < 0.1 * w0, "the bound says something: " + bound + " vs ||w*||^2 = " + w0);
        for (MinibatchSgd.Form form : MinibatchSgd.Form.values()) {
            Result res = MinibatchSgd.builder().form(form).workers(2).threads(2).batch(bigB).epochs(epochs).step(eta)
                    .schedule(Sgd.Schedule.CONSTANT).seed(3).build().solve(p, quiet(p));
            double dist = 0;
            for (int j = 0; j < ws.length; j++) dist += (res.weights()[j] - ws[j]) * (res.weights()[j] - ws[j]);
            assertTrue(dist <= bound, form + ": ||w - w*||^2 = " + dist + " above the bound " + bound);
            assertTrue(dist > 0);
            double gap = res.objective() - fStar;
            assertTrue(gap >= -1e-9 && gap <= 0.5 * p.smoothness() * bound, form + ": F - F* = " + gap);
        }
        // with the default decaying step it gets much closer than the constant step's floor
        Result dec = MinibatchSgd.builder().workers(2).threads(1).batch(8).epochs(60).seed(3).build().solve(LOGISTIC, quiet(LOGISTIC));
        assertTrue(rel(dec.objective(), F_STAR) < 2e-4, "decaying step: " + rel(dec.objective(), F_STAR));
    }

    static double[] lbfgs(Problem p) {
        return Lbfgs.builder().maxIterations(1000).gradientTolerance(1e-13).build().solve(p, quiet(p)).weights();
    }

    @Test
    void aFailingWorkerStopsTheRunAndItsExceptionReachesTheCaller() {
        for (MinibatchSgd.Form form : MinibatchSgd.Form.values()) {
            RuntimeException boom = new IllegalStateException("boom");
            MinibatchSgd s = base(form, 2).epochs(1000).hook((k, t) -> { if (k == 2 && t == 5) throw boom; }).build();
            WorkerFailedException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> assertThrows(WorkerFailedException.class, () -> s.solve(LOGISTIC, quiet(LOGISTIC))));
            assertSame(boom, e.getCause(), form.cliName());
        }
    }

    @Test
    void stragglersDelayButNeverChangeTheIterates() {
        SolverOptions.Builder o = SolverOptions.builder().threads(2).workers(4).batch(16).epochs(2).seed(5L);
        double[] plain = Solvers.byName("minibatch-sgd", o.build()).solve(LOGISTIC, quiet(LOGISTIC)).weights();
        Stragglers slow = Stragglers.parse("1:2", "fixed:0.05", null);
        Result r = Solvers.byName("minibatch-sgd", o.stragglers(slow).build()).solve(LOGISTIC, quiet(LOGISTIC));
        assertBitsEqual(plain, r.weights(), "slowed run");
        double[] waited = (double[]) r.extras().get("stragglerSeconds");
        assertTrue(waited[0] > 0 && waited[1] > 0, "both threads were delayed");
        var e = assertThrows(IllegalArgumentException.class, () -> Solvers.byName("minibatch-sgd",
                SolverOptions.builder().threads(2).stragglers(Stragglers.parse("2:3", null, null)).build()).solve(LOGISTIC));
        assertTrue(e.getMessage().contains("worker 2"), e.getMessage());
    }

    @Test
    void badOptionsAreRejectedByName() {
        var e = assertThrows(IllegalArgumentException.class, () -> MinibatchSgd.builder().workers(4).batch(10).build().solve(LOGISTIC));
        assertTrue(e.getMessage().contains("--batch 10") && e.getMessage().contains("--workers 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MinibatchSgd.builder().workers(2).threads(3).build().solve(LOGISTIC));
        assertTrue(e.getMessage().contains("--threads 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Solvers.byName("minibatch-sgd", SolverOptions.builder().form("star").build()));
        assertTrue(e.getMessage().contains("gradient, model or replica"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Solvers.byName("minibatch-sgd", SolverOptions.builder().staleness(1).build()));
        assertTrue(e.getMessage().contains("staleness"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MinibatchSgd.builder().build().solve(Problem.of(HEART, Loss.LOGISTIC, 1e-2, 1e-3)));
        // defaults: M = threads, B = 32 M
        MinibatchSgd s = (MinibatchSgd) Solvers.byName("minibatch-sgd", SolverOptions.builder().threads(2).build());
        assertEquals(2, s.workers());
        assertEquals(64, s.batch());
        assertEquals(MinibatchSgd.Form.GRADIENT, s.form());
        assertEquals(Aggregation.SLICED, s.aggregation());
    }
}
