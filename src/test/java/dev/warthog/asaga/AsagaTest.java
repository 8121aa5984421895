package dev.warthog.asaga;

import dev.warthog.data.Dataset;
import dev.warthog.data.Row;
import dev.warthog.engine.Partitioning;
import dev.warthog.gen.Generators;
import dev.warthog.objective.Loss;
import dev.warthog.objective.Problem;
import dev.warthog.shared.AccessMode;
import dev.warthog.solver.Lbfgs;
import dev.warthog.solver.Result;
import dev.warthog.solver.Solver;
import dev.warthog.solver.SolverOptions;
import dev.warthog.solver.Solvers;
import dev.warthog.testutil.TestData;
import dev.warthog.trace.TracePoint;
import dev.warthog.trace.Tracker;
import dev.warthog.vr.VarianceReduced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.warthog.testutil.Numerics.*;
import static org.junit.jupiter.api.Assertions.*;

class AsagaTest {
    static final Dataset SPARSE = TestData.heartScale();
    static final Dataset DENSE = SPARSE.toDense();
    static final Dataset TEXT = Generators.text(5000, 2000, 20, 1);

    static double[] objectives(Result r) {
        return r.trace().points().stream().mapToDouble(TracePoint::objective).toArray();
    }

    // ------------------------------------------------------------------ one thread = serial SAGA

    /** Serial SAGA and one-thread (Prox)ASAGA on dense data, same seed and step: the same trajectory. */
    @ParameterizedTest
    @EnumSource(AccessMode.class)
    void oneThreadOnDenseDataFollowsSerialSaga(AccessMode mode) {
        for (double l1 : new double[] {0, 0.02}) {
            Problem p = Problem.of(DENSE, Loss.LOGISTIC, 1e-2, l1);
            double eta = 0.1;   // an explicit step, and the default one
            for (double step : new double[] {eta, Double.NaN}) {
                Result serial = VarianceReduced.saga().epochs(12).seed(42).step(step).build().solve(p);
                Solver s = l1 == 0
                        ? Asaga.builder().threads(1).access(mode).epochs(12).seed(42).step(step).build()
                        : ProxAsaga.builder().threads(1).access(mode).epochs(12).seed(42).step(step).build();
                Result a = s.solve(p);
                String what = mode + " l1=" + l1 + " step=" + step;
                assertEquals(serial.extras().get("step"), a.extras().get("step"), what + ": the same step");
                double[] fs = objectives(serial), fa = objectives(a);
                assertEquals(13, fs.length);
                assertEquals(fs.length, fa.length, what);
                for (int e = 0; e < fs.length; e++)
                    assertTrue(rel(fa[e], fs[e]) <= 1e-10, what + " epoch " + e + ": " + fa[e] + " vs serial " + fs[e]);
                // the objective moved: the comparison is not of two constant traces
                assertTrue(fs[12] < fs[0] - 1e-2, what + ": " + fs[0] + " -> " + fs[12]);
                if (mode == AccessMode.PLAIN || mode == AccessMode.STRIPED || mode == AccessMode.LOCKED)
                    assertBitsEqual(serial.weights(), a.weights(), what);   // same draws, same arithmetic
                else
                    assertTrue(maxAbsDiff(serial.weights(), a.weights()) <= 1e-12, what);
                assertEquals(serial.samples(), a.samples(), what + ": init pass + 12 n draws");
            }
        }
    }

    @Test
    void anotherSeedGivesAnotherTrajectory() {
        // the trajectory test is sensitive to the draws: a different stream is visible
        Problem p = Problem.of(DENSE, Loss.LOGISTIC, 1e-2, 0);
        double[] a = Asaga.builder().epochs(3).seed(42).build().solve(p, quiet(p)).weights();
        double[] b = Asaga.builder().epochs(3).seed(43).build().solve(p, quiet(p)).weights();
        assertTrue(maxAbsDiff(a, b) > 1e-6);
    }

    @Test
    void workerStreamsAreNotShiftsOfEachOther() {
        // seeding worker i with seed + i * gamma made worker i's stream worker 0's shifted by i
        // draws (gamma is SplittableRandom's own increment): the streams must not be shifts
        int n = 270, len = 200, workers = 4;
        int[][] draws = new int[workers][len];
        for (int id = 0; id < workers; id++) {
            java.util.SplittableRandom r = dev.warthog.engine.Seeds.forWorker(42, id);
            for (int k = 0; k < len; k++) draws[id][k] = r.nextInt(n);
        }
        java.util.SplittableRandom serial = new java.util.SplittableRandom(42);
        for (int k = 0; k < len; k++) assertEquals(serial.nextInt(n), draws[0][k], "worker 0 draws the serial stream");
        for (int a = 0; a < workers; a++)
            for (int b = 0; b < workers; b++) {
                if (a == b) continue;
                for (int shift = 0; shift < 50; shift++) {
                    int same = 0;
                    for (int k = 0; k + shift < len; k++) if (draws[a][k + shift] == draws[b][k]) same++;
                    assertTrue(same < 10, "workers " + a + " and " + b + " agree on " + same + " draws at shift " + shift);
                }
            }
    }

    // ------------------------------------------------------------------ linear convergence, several threads

    record Case(String name, Problem problem) {
        @Override public String toString() { return name; }
    }

    static final Case HEART_CASE = new Case("heart_scale logistic l2=1e-2", Problem.of(SPARSE, Loss.LOGISTIC, 1e-2, 0));
    static final Case HEART_DENSE_CASE = new Case("heart_scale (dense) logistic l2=1e-2", Problem.of(DENSE, Loss.LOGISTIC, 1e-2, 0));
    static final Case TEXT_CASE = new Case("text(5000,2000,20) logistic l2=1e-3", Problem.of(TEXT, Loss.LOGISTIC, 1e-3, 0));

    static final java.util.concurrent.ConcurrentHashMap<String, Double> F_STAR = new java.util.concurrent.ConcurrentHashMap<>();

    static double fStar(Case c) {
        return F_STAR.computeIfAbsent(c.name(), k -> Lbfgs.builder().build().solve(c.problem()).objective());
    }

    static List<Arguments> convergenceCases() {
        List<Arguments> out = new ArrayList<>();
        for (Case c : List.of(HEART_CASE, HEART_DENSE_CASE, TEXT_CASE))
            for (AccessMode m : new AccessMode[] {AccessMode.PLAIN, AccessMode.ATOMIC})
                for (int threads : new int[] {2, 4}) out.add(Arguments.of(c, m, threads));
        return out;
    }

    static final java.util.concurrent.ConcurrentHashMap<String, Result> ONE_THREAD = new java.util.concurrent.ConcurrentHashMap<>();

    /** Epochs a run needs to reach F <= target (stopped by the tracker's target). */
    static Result toTarget(Solver s, Problem p, double target) {
        Tracker t = Tracker.builder(p).targetObjective(target).build();
        return s.solve(p, t);
    }

    @ParameterizedTest
    @MethodSource("convergenceCases")
    void severalThreadsConvergeLinearlyTo1e9(Case c, AccessMode mode, int threads) {
        Problem p = c.problem();
        double fStar = fStar(c);
        int cap = 2000;
        double target = fStar * (1 + 5e-10);
        Result one = ONE_THREAD.computeIfAbsent(c.name(), k -> toTarget(Asaga.builder().threads(1).epochs(cap).seed(3).build(), p, target));
        Result r = toTarget(Asaga.builder().threads(threads).access(mode).partitioning(Partitioning.RANDOM)
                .epochs(cap).seed(3).build(), p, target);
        String what = c + " " + mode + " x" + threads;
        assertTrue(r.epochs() < cap, what + ": no 1e-9 after " + cap + " epochs: " + r.objective());
        assertTrue(rel(r.objective(), fStar) < 1e-9, what + ": F = " + r.objective() + ", F* = " + fStar);
        assertTrue(r.objective() >= fStar * (1 - 1e-11), what + ": below the optimum? " + r.objective());
        // linear: the asynchronous run needs about as many epochs as one thread (a sublinear
        // method, SGD with a constant step, would stall at its noise floor far above 1e-9)
        // (this caught workers drawing one shared row sequence, shifted by one draw: x4 took 66
        // epochs where one thread took 19; see engine.Seeds)
        assertTrue(r.epochs() <= 2 * one.epochs() + 10, what + ": " + r.epochs() + " epochs vs " + one.epochs()
                + " for one thread; staleness " + r.extras().get("staleness"));
        assertEquals((long) r.epochs() * p.rows(), (long) r.extras().get("updates"), what + ": every update counted");
    }

    // ------------------------------------------------------------------ gbar stays (1/n) sum alpha_i x_i

    /** (1/n) sum_i alpha_i x_i recomputed from the final memory. */
    static double[] recomputedAverage(Dataset d, double[] alpha) {
        double[] g = new double[d.cols()];
        Row r = new Row();
        for (int i = 0; i < d.rows(); i++) {
            d.row(i, r);
            for (int k = 0; k < r.nnz; k++) g[r.column(k)] += alpha[i] * r.value(k) / d.rows();
        }
        return g;
    }

    static List<Arguments> memoryCases() {
        List<Arguments> out = new ArrayList<>();
        for (String m : new String[] {"asaga", "proxasaga", "async-iag"})
            for (Case c : List.of(HEART_DENSE_CASE, TEXT_CASE))
                for (AccessMode a : new AccessMode[] {AccessMode.PLAIN, AccessMode.OPAQUE, AccessMode.STRIPED}) out.add(Arguments.of(m, c, a));
        return out;
    }

    @ParameterizedTest
    @MethodSource("memoryCases")
    void averageGradientLosesNoUpdate(String method, Case c, AccessMode mode) {
        Problem p = method.equals("proxasaga") ? Problem.of(c.problem().data(), Loss.LOGISTIC, c.problem().l2(), 1e-3) : c.problem();
        int epochs = 20;
        AsyncVr.Outcome out = switch (method) {
            case "asaga" -> Asaga.builder().threads(4).access(mode).epochs(epochs).seed(5).build().run(p, quiet(p));
            case "proxasaga" -> ProxAsaga.builder().threads(4).access(mode).epochs(epochs).seed(5).build().run(p, quiet(p));
            default -> AsyncIag.builder().threads(4).access(mode).epochs(epochs).step(5 * AsyncIag.defaultStep(p)).build().run(p, quiet(p));
        };
        assertEquals(epochs, out.result().epochs());
        double[] alpha = out.memory().memory(), gbar = out.memory().average();
        double[] ref = recomputedAverage(p.data(), alpha);
        double scale = Math.max(1, maxAbs(ref));
        assertTrue(maxAbs(ref) > 1e-4, "a non-trivial average gradient");
        double err = maxAbsDiff(gbar, ref);
        assertTrue(err <= 1e-12 * scale, method + " " + c + " " + mode + ": gbar is off (1/n) sum alpha_i x_i by " + err);
        // the memory moved away from its start at w = 0: the check is not of the initial state
        SagaMemory init = SagaMemory.atZero(p.data(), p.loss());
        assertTrue(maxAbsDiff(init.memory(), alpha) > 1e-2);
    }

    // ------------------------------------------------------------------ ProxASAGA vs serial proximal SAGA

    @Test
    void proxAsagaReachesTheSerialProximalSolution() {
        Problem p = Problem.of(SPARSE, Loss.LOGISTIC, 1e-2, 0.02);
        Result ref = VarianceReduced.saga().epochs(3000).build().solve(p, quiet(p));
        double[] ws = ref.weights();
        int zeros = 0;
        for (double v : ws) if (v == 0) zeros++;
        assertTrue(zeros >= 2 && zeros <= ws.length - 2, "an l1 problem with a non-trivial support: " + zeros + " zeros");
        for (AccessMode mode : new AccessMode[] {AccessMode.PLAIN, AccessMode.ATOMIC, AccessMode.OPAQUE}) {
            for (int threads : new int[] {1, 2, 4}) {
                Result r = ProxAsaga.builder().threads(threads).access(mode).epochs(1500).seed(11).build().solve(p, quiet(p));
                double[] wa = r.weights();
                String what = mode + " x" + threads;
                for (int j = 0; j < ws.length; j++)
                    assertEquals(ws[j] == 0, wa[j] == 0, what + ": same support at coordinate " + j + ": serial " + ws[j] + ", proxasaga " + wa[j]);
                assertTrue(maxAbsDiff(ws, wa) <= 1e-6, what + ": values differ by " + maxAbsDiff(ws, wa)
                        + "\n" + Arrays.toString(ws) + "\n" + Arrays.toString(wa));
                assertEquals(ref.objective(), r.objective(), 1e-10 * ref.objective(), what);
            }
        }
    }

    /** Infinity norm of the minimum-norm subgradient of F (zero exactly at the optimum). */
    static double pgNorm(Problem p, double[] w) {
        double[] g = new double[w.length];
        p.gradient(w, g);
        double m = 0;
        for (int j = 0; j < w.length; j++) {
            double pg = w[j] != 0 ? g[j] + p.l1() * Math.signum(w[j]) : Math.max(0, Math.abs(g[j]) - p.l1());
            m = Math.max(m, Math.abs(pg));
        }
        return m;
    }

    @Test
    void proxAsagaAgreesWithSerialSagaOnTextData() {
        // sparse data with rare features: the reweighted prox eta D_j l1 on the support, vs the
        // serial SAGA's exact lagged prox
        Problem p = Problem.of(TEXT, Loss.LOGISTIC, 1e-3, 2e-3);
        Result ref = VarianceReduced.saga().epochs(400).build().solve(p, quiet(p));
        Result r = ProxAsaga.builder().threads(2).access(AccessMode.ATOMIC).epochs(400).seed(2).build().solve(p, quiet(p));
        double[] ws = ref.weights(), wa = r.weights();
        assertTrue(pgNorm(p, ws) <= 1e-10, "the reference is at the optimum: " + pgNorm(p, ws));
        assertTrue(pgNorm(p, wa) <= 1e-8, "proxasaga is at the optimum: " + pgNorm(p, wa));
        int zeros = 0, differ = 0;
        for (int j = 0; j < ws.length; j++) {
            if (ws[j] == 0) zeros++;
            if ((ws[j] == 0) != (wa[j] == 0)) differ++;
        }
        assertTrue(zeros > 10 && zeros < ws.length - 10, "non-trivial support: " + zeros + " zeros of " + ws.length);
        assertEquals(0, differ, "coordinates whose support differs");
        assertTrue(maxAbsDiff(ws, wa) <= 1e-6, "values differ by " + maxAbsDiff(ws, wa));
    }

    @Test
    void asagaRejectsL1AndATooLargeStep() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Asaga.builder().build().solve(Problem.of(SPARSE, Loss.LOGISTIC, 0, 1e-3)));
        assertTrue(e.getMessage().contains("proxasaga"), e.getMessage());
        // text data has features seen in a handful of rows: D_j in the thousands
        Problem p = Problem.of(TEXT, Loss.LOGISTIC, 1e-3, 0);
        double maxD = Arrays.stream(Asaga.inverseFrequencies(TEXT)).max().orElseThrow();
        assertTrue(maxD > 100, "" + maxD);
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> Asaga.builder().step(2 / (1e-3 * maxD)).epochs(1).build().solve(p));
        assertTrue(e2.getMessage().contains("max_j D_j"), e2.getMessage());
        // the default keeps eta l2 D_j <= 1/3
        assertTrue(Asaga.defaultStep(p) * 1e-3 * maxD <= 1.0 / 3 + 1e-15);
        assertThrows(IllegalArgumentException.class, () -> Asaga.builder().build().solve(Problem.of(SPARSE, Loss.HINGE, 1e-2, 0)));
    }

    @Test
    void inverseFrequenciesMakeTheSupportUpdateUnbiased() {
        // E_i[1{j in S_i} D_j] = 1 for every feature that occurs
        double[] dj = Asaga.inverseFrequencies(TEXT);
        double[] e = new double[TEXT.cols()];
        Row r = new Row();
        for (int i = 0; i < TEXT.rows(); i++) { TEXT.row(i, r); for (int k = 0; k < r.nnz; k++) e[r.column(k)] += dj[r.column(k)] / TEXT.rows(); }
        int seen = 0;
        for (int j = 0; j < e.length; j++) if (e[j] != 0) { assertEquals(1.0, e[j], 1e-12); seen++; }
        assertTrue(seen > 100);
        assertNull(Asaga.inverseFrequencies(DENSE), "dense data: D = 1");
    }

    // ------------------------------------------------------------------ async IAG

    @Test
    void asyncIagWithOneThreadOnDenseDataIsSerialIag() {
        for (double l1 : new double[] {0, 0.01}) {
            Problem p = Problem.of(DENSE, Loss.LOGISTIC, 1e-2, l1);
            Result serial = VarianceReduced.iag().epochs(25).build().solve(p);
            Result a = AsyncIag.builder().threads(1).epochs(25).build().solve(p);
            assertEquals(serial.extras().get("step"), a.extras().get("step"));
            assertBitsEqual(serial.weights(), a.weights(), "l1=" + l1);
            double[] fs = objectives(serial), fa = objectives(a);
            for (int e = 0; e < fs.length; e++) assertEquals(fs[e], fa[e], 1e-10 * fs[e]);
        }
    }

    @ParameterizedTest
    @EnumSource(value = AccessMode.class, names = {"PLAIN", "ATOMIC", "LOCKED"})
    void asyncIagConvergesOnHeartScale(AccessMode mode) {
        for (Case c : List.of(HEART_DENSE_CASE, HEART_CASE)) {
            Problem p = c.problem();
            double fStar = fStar(c);
            int cap = 20_000;
            for (int threads : new int[] {2, 4}) {
                Result r = toTarget(AsyncIag.builder().threads(threads).access(mode).epochs(cap).build(), p, fStar * (1 + 1e-6));
                String what = c + " " + mode + " x" + threads;
                assertTrue(r.epochs() < cap, what + ": F = " + r.objective() + " after " + cap + " epochs, F* = " + fStar);
                assertTrue(rel(r.objective(), fStar) < 1e-6, what + ": " + r.objective());
                assertEquals("async-iag", r.algorithm());
            }
        }
    }

    // ------------------------------------------------------------------ registry, extras

    @Test
    void registeredByNameWithTheParallelOptions() {
        for (String n : List.of("asaga", "proxasaga", "async-iag")) {
            assertEquals(n, Solvers.byName(n).name());
            Solver s = Solvers.byName(n, SolverOptions.builder().threads(2).access("atomic").partition("strided")
                    .epochs(3).step(0.05).seed(9L).build());
            assertEquals(n, s.name());
            assertTrue(s.toString().contains("threads=2") && s.toString().contains("access=atomic")
                    && s.toString().contains("partition=strided") && s.toString().contains("epochs=3"), s.toString());
            for (SolverOptions bad : List.of(SolverOptions.builder().momentum(0.9).build(),
                    SolverOptions.builder().decay(0.9).build(), SolverOptions.builder().batch(4).build(),
                    SolverOptions.builder().tolerance(1e-6).build(), SolverOptions.builder().stalenessEvery(4).build(),
                    SolverOptions.builder().schedule("constant").build())) {
                var e = assertThrows(IllegalArgumentException.class, () -> Solvers.byName(n, bad), n + " " + bad);
                assertTrue(e.getMessage().contains("has no option"), e.getMessage());
            }
            assertThrows(IllegalArgumentException.class, () -> Solvers.byName(n, SolverOptions.builder().access("nope").build()));
        }
        Problem p = Problem.of(SPARSE, Loss.LOGISTIC, 1e-2, 0);
        Result r = Solvers.byName("asaga", SolverOptions.builder().threads(2).epochs(2).build()).solve(p);
        assertEquals(2, r.threads());
        assertEquals(2, r.epochs());
        assertEquals(p.rows() * 3L, r.samples(), "the init pass and two epochs");
        assertEquals("plain", r.extras().get("access"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void extrasReportStalenessAndStep() {
        Problem p = Problem.of(TEXT, Loss.LOGISTIC, 1e-3, 0);
        Result one = Asaga.builder().threads(1).epochs(2).stalenessEvery(1).build().solve(p, quiet(p));
        Map<String, Object> st = (Map<String, Object>) one.extras().get("staleness");
        assertEquals(0L, st.get("max"));
        assertEquals(2L * TEXT.rows(), st.get("measured"));
        assertEquals(Asaga.defaultStep(p), one.extras().get("step"));
        Result two = Asaga.builder().threads(2).epochs(2).stalenessEvery(4).build().solve(p, quiet(p));
        Map<String, Object> s2 = (Map<String, Object>) two.extras().get("staleness");
        assertEquals(2L * TEXT.rows() / 4, (long) s2.get("measured"), 2.0);
        assertEquals(2L * TEXT.rows(), two.extras().get("updates"));
    }

    @Test
    void aTooLargeStepIsReportedAsDiverged() {
        Problem p = Problem.of(DENSE, Loss.SQUARED, 0, 0);
        Result r = Asaga.builder().threads(2).epochs(500).step(50).build().solve(p, quiet(p));
        assertEquals(Boolean.TRUE, r.extras().get("diverged"));
        assertTrue(r.epochs() < 500);
    }
}
