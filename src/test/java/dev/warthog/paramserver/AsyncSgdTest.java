package dev.warthog.paramserver;

import dev.warthog.data.Dataset;
import dev.warthog.data.Row;
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
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static dev.warthog.testutil.Numerics.*;
import static org.junit.jupiter.api.Assertions.*;

class AsyncSgdTest {
    static final Dataset HEART = TestData.heartScale();
    static final Problem LOGISTIC = Problem.of(HEART, Loss.LOGISTIC, 1e-2, 0);
    static final double F_STAR = 0.378775243339;   // shared/data/README.md

    /** Serial mini-batch SGD as the class comment states it: w <- w - eta_t ((1/b) sum loss' x_i + l2 w). */
    static double[] serial(Problem p, int b, int epochs, double eta0, double decay, long seed) {
        int n = p.rows(), d = p.dim();
        long perEpoch = (n + b - 1) / b;
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] order = new int[n];
        int pos = n;
        double[] w = new double[d], g = new double[d];
        Row r = new Row();
        for (long t = 0; t < epochs * perEpoch; t++) {
            java.util.Arrays.fill(g, 0);
            for (int q = 0; q < b; q++) {
                if (pos == n) { Sgd.epochOrder(n, rnd, order); pos = 0; }
                p.data().row(order[pos++], r);
                double dl = p.loss().derivative(Kernels.dot(r, w), r.label);
                if (dl != 0) Kernels.axpy(dl, r, g);
            }
            double eta = eta0 * Math.pow(decay, (int) (t / perEpoch));
            for (int j = 0; j < d; j++) w[j] -= eta * (g[j] * (1.0 / b) + p.l2() * w[j]);
        }
        return w;
    }

    @Test
    void oneWorkerIsSerialMinibatchSgdStepForStep() {
        double[] ref = serial(LOGISTIC, 8, 4, 0.3, 0.8, 11);
        Result r = AsyncSgd.builder().threads(1).batch(8).epochs(4).step(0.3).decay(0.8).seed(11).build().solve(LOGISTIC, quiet(LOGISTIC));
        assertBitsEqual(ref, r.weights(), "async-sgd with one worker");
        assertEquals(4, r.epochs());
        assertEquals(4 * 34, r.extras().get("iterations"));
        assertEquals(0L, staleness(r).get("max"), "one worker: no update is stale");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> staleness(Result r) { return (Map<String, Object>) r.extras().get("staleness"); }

    static void checkAccounting(Result r, int b, int epochs) {
        long perEpoch = (LOGISTIC.rows() + b - 1) / b;
        int it = (Integer) r.extras().get("iterations");
        assertEquals(epochs * perEpoch, it);
        assertEquals((long) it, staleness(r).get("measured"), "tau is recorded for every applied gradient");
        long sum = 0;
        for (long u : (long[]) r.extras().get("updatesPerWorker")) sum += u;
        assertEquals(it, sum);
        assertEquals((long) it * b, r.samples());
        assertEquals(epochs, r.epochs());
    }

    /** The class comment's bound tau <= (T - 1)(2S + 1): 1 for S = 0 and two workers, 6 for S = 1 and three. */
    @Test
    void boundedStalenessBoundsTheMeasuredDelay() {
        for (int rep = 0; rep < 3; rep++) {
            Result r = AsyncSgd.builder().threads(2).batch(4).epochs(6).staleness(0).seed(rep).build().solve(LOGISTIC, quiet(LOGISTIC));
            checkAccounting(r, 4, 6);
            assertTrue((Long) staleness(r).get("max") <= 1, "S = 0, T = 2: " + staleness(r));
            Result r3 = AsyncSgd.builder().threads(3).batch(4).epochs(4).staleness(1).seed(rep).build().solve(LOGISTIC, quiet(LOGISTIC));
            checkAccounting(r3, 4, 4);
            assertTrue((Long) staleness(r3).get("max") <= 6, "S = 1, T = 3: " + staleness(r3));
        }
    }

    @Test
    void unboundedStalenessStillConverges() {
        double[] ws = Lbfgs.builder().maxIterations(1000).gradientTolerance(1e-13).build().solve(LOGISTIC, quiet(LOGISTIC)).weights();
        assertEquals(F_STAR, LOGISTIC.value(ws), 1e-9);
        Result r = AsyncSgd.builder().threads(3).batch(8).epochs(60).seed(2).build().solve(LOGISTIC);   // evaluates every epoch
        checkAccounting(r, 8, 60);
        assertTrue(rel(r.objective(), F_STAR) < 5e-4, "F = " + r.objective());
        assertEquals("unbounded", r.extras().get("stalenessBound"));
        // the trace decreases overall: the last point far below the first
        var pts = r.trace().points();
        assertEquals(61, pts.size(), "epochs 0..60 recorded");
        for (int i = 0; i < pts.size(); i++) assertEquals(i, pts.get(i).epoch());
        assertEquals(r.objective(), pts.get(60).objective(), 0.0, "the result is the last recorded snapshot");
        assertTrue(pts.get(pts.size() - 1).objective() < pts.get(0).objective() - 0.2);
    }

    @Test
    void aFailingWorkerStopsEveryoneAndItsExceptionReachesTheCaller() {
        for (Integer s : new Integer[]{null, 0}) {
            RuntimeException boom = new IllegalStateException("boom");
            AsyncSgd a = AsyncSgd.builder().threads(2).batch(4).epochs(100_000).staleness(s)
                    .hook((id, k) -> { if (id == 1 && k == 3) throw boom; }).build();
            WorkerFailedException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> assertThrows(WorkerFailedException.class, () -> a.solve(LOGISTIC, quiet(LOGISTIC))));
            assertSame(boom, e.getCause());
            assertEquals(1, e.worker());
        }
    }

    /**
     * Worker 1 is held before its second update until worker 0 has submitted 100 (or 20 s
     * passed, then the test fails): without a bound worker 0 keeps going. With S = 2, worker 0
     * can submit at most S + 2 updates while worker 1 is held (update m starts only when
     * m - 1 - 1 <= S), so the hold ends by the deadline and at most S + 2 are seen.
     */
    @Test
    void aStalledWorkerDoesNotHoldTheOthersUnlessTheBoundSaysSo() {
        AtomicLong worker0 = new AtomicLong();
        AtomicReference<String> problem = new AtomicReference<>();
        AsyncSgd free = AsyncSgd.builder().threads(2).batch(4).epochs(10).hook((id, k) -> {
            if (id == 0) worker0.incrementAndGet();
            else if (k == 1) {
                long end = System.nanoTime() + 20_000_000_000L;
                while (worker0.get() < 100) {
                    if (System.nanoTime() > end) { problem.set("worker 0 stopped at " + worker0.get()); break; }
                    Thread.sleep(1);
                }
            }
        }).build();
        Result r = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> free.solve(LOGISTIC, quiet(LOGISTIC)));
        assertNull(problem.get());
        long[] up = (long[]) r.extras().get("updatesPerWorker");
        assertTrue(up[0] >= 100, "worker 0 kept going: " + up[0]);
        checkAccounting(r, 4, 10);

        AtomicLong seen = new AtomicLong(-1);
        worker0.set(0);
        AsyncSgd bounded = AsyncSgd.builder().threads(2).batch(4).epochs(10).staleness(2).hook((id, k) -> {
            if (id == 0) worker0.incrementAndGet();
            else if (k == 1) {
                long before = worker0.get();
                Thread.sleep(300);   // long enough for an unbounded worker 0 to pass the bound many times
                seen.set(worker0.get() - before);
            }
        }).build();
        Result rb = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> bounded.solve(LOGISTIC, quiet(LOGISTIC)));
        assertTrue(seen.get() >= 0 && seen.get() <= 2 + 2, "worker 0 submitted " + seen.get() + " while worker 1 was held");
        checkAccounting(rb, 4, 10);
        assertTrue((Double) rb.extras().get("waitSeconds") > 0, "worker 0 waited for the bound");
    }

    @Test
    void optionsAndStragglerSettings() {
        for (String part : new String[]{"all", "random", "contiguous"}) {
            SolverOptions o = SolverOptions.builder().threads(2).batch(4).epochs(2).staleness(3).partition(part)
                    .stragglers(Stragglers.parse("1:2", null, null)).build();
            AsyncSgd a = (AsyncSgd) Solvers.byName("async-sgd", o);
            assertEquals(3, a.staleness());
            Result r = a.solve(LOGISTIC, quiet(LOGISTIC));
            checkAccounting(r, 4, 2);
            assertEquals(part, r.extras().get("partition"));
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Solvers.byName("async-sgd",
                SolverOptions.builder().threads(2).stragglers(Stragglers.parse("5:2", null, null)).build()).solve(LOGISTIC));
        assertTrue(e.getMessage().contains("worker 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Solvers.byName("async-sgd", SolverOptions.builder().access("atomic").build()));
        assertTrue(e.getMessage().contains("access"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Solvers.byName("async-sgd", SolverOptions.builder().form("model").build()));
        assertTrue(e.getMessage().contains("form"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SolverOptions.builder().staleness(-1));
        assertThrows(IllegalArgumentException.class, () -> AsyncSgd.builder().build().solve(Problem.of(HEART, Loss.LOGISTIC, 0, 1e-3)));
        assertNull(((AsyncSgd) Solvers.byName("async-sgd")).staleness());
    }
}
