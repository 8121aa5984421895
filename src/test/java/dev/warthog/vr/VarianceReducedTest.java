package dev.warthog.vr;

import dev.warthog.data.Dataset;
import dev.warthog.data.Row;
import dev.warthog.objective.Loss;
import dev.warthog.objective.Problem;
import dev.warthog.solver.Lbfgs;
import dev.warthog.solver.Result;
import dev.warthog.solver.SolverOptions;
import dev.warthog.solver.Solvers;
import dev.warthog.testutil.TestData;
import dev.warthog.trace.Tracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static dev.warthog.testutil.Numerics.*;
import static org.junit.jupiter.api.Assertions.*;

class VarianceReducedTest {
    static final Dataset SPARSE = TestData.heartScale();
    static final Dataset DENSE = SPARSE.toDense();

    record Case(Loss loss, double lam, double fStar) {
        Problem problem(Dataset d) { return Problem.of(d, loss, lam, 0); }
        @Override public String toString() { return loss.cliName() + " lam=" + lam; }
    }

    /** heart_scale optima of ../shared/data/README.md (LIBLINEAR, tolerance 1e-12). */
    static List<Case> cases() {
        return List.of(new Case(Loss.LOGISTIC, 1e-2, 0.378775243339),
                new Case(Loss.LOGISTIC, 1e-3, 0.355646692412),
                new Case(Loss.SQUARED, 1e-2, 0.234306364300),
                new Case(Loss.SQUARED, 1e-3, 0.232059213695));
    }

    static List<Arguments> methodsAndCases() {
        List<Arguments> out = new ArrayList<>();
        for (VarianceReduced.Method m : VarianceReduced.Method.values())
            for (Case c : cases()) out.add(Arguments.of(m, c));
        return out;
    }

    // ------------------------------------------------------------------ reference optima

    @ParameterizedTest @MethodSource("methodsAndCases")
    void reachesTheReferenceOptimumTo1e10(VarianceReduced.Method m, Case c) {
        Problem p = c.problem(SPARSE);
        // IAG's default 1/(n Lmax) makes one cycle one gradient step of 1/Lmax: thousands of
        // epochs at lam = 1e-3; the cap is far above what each needs, the target stops it.
        int cap = m == VarianceReduced.Method.IAG ? 200_000 : 20_000;
        VarianceReduced s = VarianceReduced.builder(m).epochs(cap).target(c.fStar() * (1 + 5e-11)).build();
        Result r = s.solve(p, quiet(p));
        double f = r.objective();
        assertTrue(rel(f, c.fStar()) < 1e-10, s + " " + c + ": F = " + f + " after " + r.epochs() + " epochs");
        assertTrue(f >= c.fStar() * (1 - 2e-12), "cannot beat the optimum: " + f);
        assertTrue(r.epochs() < cap, "stopped by the target");
        assertEquals(m.cliName(), r.algorithm());
        assertEquals((long) (r.epochs() + 1) * p.rows(), r.samples(), "n per epoch plus the memory initialisation");
    }

    @ParameterizedTest @MethodSource("cases")
    void zeroInitialisedMemoryAlsoConverges(Case c) {
        Problem p = c.problem(SPARSE);
        Result r = VarianceReduced.saga().initMemory(false).epochs(20_000).target(c.fStar() * (1 + 5e-11))
                .build().solve(p, quiet(p));
        assertTrue(rel(r.objective(), c.fStar()) < 1e-10, "F = " + r.objective());
        assertEquals((long) r.epochs() * p.rows(), r.samples());
    }

    // ------------------------------------------------------------------ dense vs sparse storage

    @ParameterizedTest @MethodSource("methodsAndCases")
    void denseAndSparseStorageAgree(VarianceReduced.Method m, Case c) {
        for (double l1 : new double[]{0, 0.01}) {
            Problem ps = Problem.of(SPARSE, c.loss(), c.lam(), l1);
            Problem pd = Problem.of(DENSE, c.loss(), c.lam(), l1);
            VarianceReduced s = VarianceReduced.builder(m).epochs(6).seed(7).build();
            double[] ws = s.solve(ps, quiet(ps)).weights();
            double[] wd = s.solve(pd, quiet(pd)).weights();
            double scale = Math.max(1, maxAbs(wd));
            assertTrue(maxAbs(wd) > 1e-3, "a non-trivial iterate");
            assertTrue(maxAbsDiff(ws, wd) <= 1e-12 * scale, m + " " + c + " l1=" + l1 + ": " + maxAbsDiff(ws, wd));
        }
    }

    // ------------------------------------------------------------------ lagged vs naive

    /** Random sparse data: n x d, each entry non-zero with probability density, values N(0,1). */
    static Dataset randomSparse(int n, int d, double density, long seed, boolean regression) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] ptr = new int[n + 1];
        List<Integer> idx = new ArrayList<>();
        List<Double> val = new ArrayList<>();
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double m = 0;
            for (int j = 0; j < d; j++) {
                if (rnd.nextDouble() < density) {
                    double v = rnd.nextGaussian();
                    idx.add(j);
                    val.add(v);
                    m += v * ((j % 3) - 1);
                }
            }
            y[i] = regression ? m + 0.3 * rnd.nextGaussian() : (m + 0.5 * rnd.nextGaussian() > 0 ? 1 : -1);
            ptr[i + 1] = idx.size();
        }
        return Dataset.sparse(n, d, ptr, idx.stream().mapToInt(Integer::intValue).toArray(),
                val.stream().mapToDouble(Double::doubleValue).toArray(), y, "random-sparse");
    }

    /**
     * The naive O(d) reference, written from the update rules with no lazy updates and no
     * scale: per step (row i drawn by nextInt(n), or i = k for IAG), g = loss'(x_i.w),
     * delta = g - alpha_i;
     * SAGA: w_j = soft((1 - eta l2) w_j - eta (delta x_ij + gbar_j), eta l1) for every j, then gbar += delta x_i / n;
     * SAG/IAG: gbar += delta x_i / n, then w_j = soft((1 - eta l2) w_j - eta gbar_j, eta l1);
     * alpha_i = g. Memory initialised at w = 0 when {@code init}.
     */
    static double[] naive(Problem p, VarianceReduced.Method m, double eta, int epochs, long seed, boolean init) {
        Dataset data = p.data().toDense();
        int n = data.rows(), d = data.cols();
        double[] x = data.values(), y = data.labels();
        double l2 = p.l2(), l1 = p.l1();
        double[] w = new double[d], gbar = new double[d], alpha = new double[n];
        if (init) {
            for (int i = 0; i < n; i++) {
                alpha[i] = p.loss().derivative(0, y[i]);
                for (int j = 0; j < d; j++) gbar[j] += alpha[i] * x[i * d + j] / n;
            }
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int e = 0; e < epochs; e++) {
            for (int k = 0; k < n; k++) {
                int i = m == VarianceReduced.Method.IAG ? k : rnd.nextInt(n);
                double mg = 0;
                for (int j = 0; j < d; j++) mg += x[i * d + j] * w[j];
                double g = p.loss().derivative(mg, y[i]);
                double delta = g - alpha[i];
                alpha[i] = g;
                if (m == VarianceReduced.Method.SAGA) {
                    for (int j = 0; j < d; j++) {
                        w[j] = VrState.soft((1 - eta * l2) * w[j] - eta * (delta * x[i * d + j] + gbar[j]), eta * l1);
                        gbar[j] += delta * x[i * d + j] / n;
                    }
                } else {
                    for (int j = 0; j < d; j++) {
                        gbar[j] += delta * x[i * d + j] / n;
                        w[j] = VrState.soft((1 - eta * l2) * w[j] - eta * gbar[j], eta * l1);
                    }
                }
            }
        }
        return w;
    }

    static List<Arguments> laggedCases() {
        List<Arguments> out = new ArrayList<>();
        for (VarianceReduced.Method m : VarianceReduced.Method.values())
            for (Loss loss : new Loss[]{Loss.LOGISTIC, Loss.SQUARED})
                for (double[] reg : new double[][]{{1e-2, 0}, {1e-3, 0}, {1e-2, 0.02}, {1e-3, 0.005}, {0, 0.01}})
                    out.add(Arguments.of(m, loss, reg[0], reg[1]));
        return out;
    }

    @ParameterizedTest @MethodSource("laggedCases")
    void laggedSparseUpdateEqualsTheNaiveUpdate(VarianceReduced.Method m, Loss loss, double l2, double l1) {
        // 120 x 60 at 8% density: a coordinate is touched about every 12 steps and its gbar_j is
        // often larger than l1, so lags are long and the lazy prox crosses zero inside a lag
        Dataset data = randomSparse(120, 60, 0.08, 11, loss == Loss.SQUARED);
        Problem p = Problem.of(data, loss, l2, l1);
        // a large step: SAGA's 1/(3 Lmax) is the biggest of the defaults; use it for all three
        double eta = 1.0 / (3 * p.sampleSmoothness());
        VarianceReduced s = VarianceReduced.builder(m).step(eta).epochs(4).seed(3).build();
        double[] lazy = s.solve(p, quiet(p)).weights();
        double[] ref = naive(p, m, eta, 4, 3, true);
        double scale = Math.max(1, maxAbs(ref));
        assertTrue(maxAbs(ref) > 1e-2, "a non-trivial iterate");
        if (l1 > 0) {
            int zeros = 0;
            for (double v : ref) if (v == 0) zeros++;
            assertTrue(zeros > 0 && zeros < ref.length, "the l1 case has some zero and some non-zero weights: " + zeros);
        }
        assertTrue(maxAbsDiff(lazy, ref) <= 1e-12 * scale, m + " " + loss + " l2=" + l2 + " l1=" + l1
                + ": max diff " + maxAbsDiff(lazy, ref));
    }

    @Test
    void lazyProxEqualsTheStepByStepProx() {
        // random lags, units, weights and average gradients, with l1 both below and above
        // |gbar_j|: every branch, the zero-crossing binary search included, against the loop
        SplittableRandom rnd = new SplittableRandom(4);
        int crossings = 0;
        for (int trial = 0; trial < 20_000; trial++) {
            int k = 1 + rnd.nextInt(60);
            double[] cum = new double[k + 1];
            for (int t = 0; t < k; t++) cum[t + 1] = cum[t] + (rnd.nextBoolean() ? 0.01 : rnd.nextDouble());
            int q0 = rnd.nextInt(k);
            double l1 = rnd.nextInt(4) == 0 ? 0 : rnd.nextDouble();
            double gb = rnd.nextGaussian() * 2;
            double v = switch (rnd.nextInt(4)) { case 0 -> 0.0; default -> rnd.nextGaussian() * 3; };
            double step = v;
            boolean sawZero = false, sawOther = false;
            for (int t = q0; t < k; t++) {
                double d = cum[t + 1] - cum[t];
                step = VrState.soft(step - gb * d, l1 * d);
                if (step == 0) sawZero = true;
                if (v != 0 && step * v < 0) sawOther = true;
            }
            if (sawOther && Math.abs(gb) > l1) crossings++;
            double lazy = VrState.lazyProx(v, gb, cum[q0], cum[k], l1, cum, k);
            assertEquals(step, lazy, 1e-12 * Math.max(1, Math.abs(v) + Math.abs(gb) * cum[k]),
                    "v=" + v + " gb=" + gb + " l1=" + l1 + " from " + q0 + " to " + k + (sawZero ? " (hit 0)" : ""));
        }
        assertTrue(crossings > 1000, "the crossing case is drawn often: " + crossings);
    }

    @Test
    void laggedUpdateSurvivesMidEpochRescales() {
        // l2 = 10 smoothness(loss) max||x||^2 makes the default eta l2 = 10/33: s falls below
        // 1e-9 every ~58 steps, forcing full syncs inside the epoch
        Dataset data = randomSparse(300, 40, 0.1, 5, false);
        double l2 = 10 * 0.25 * Problem.of(data, Loss.LOGISTIC, 0, 0).maxRowNormSq();
        for (double l1 : new double[]{0, 0.01}) {
            Problem p = Problem.of(data, Loss.LOGISTIC, l2, l1);
            double eta = VarianceReduced.defaultStep(VarianceReduced.Method.SAGA, p);
            assertEquals(10.0 / 33, eta * l2, 1e-12);
            VarianceReduced s = VarianceReduced.saga().step(eta).epochs(3).seed(9).build();
            Result r = s.solve(p, quiet(p));
            assertTrue((long) r.extras().get("rescales") > 5, "the rescale path is taken: " + r.extras());
            double[] ref = naive(p, VarianceReduced.Method.SAGA, eta, 3, 9, true);
            assertTrue(maxAbs(ref) > 1e-6, "" + maxAbs(ref));
            assertTrue(maxAbsDiff(r.weights(), ref) <= 1e-12 * Math.max(1, maxAbs(ref)), "" + maxAbsDiff(r.weights(), ref));
        }
    }

    // ------------------------------------------------------------------ l1: SAGA vs OWL-QN

    @Test
    void sagaWithL1ReachesTheOwlqnSolution() {
        Problem p = Problem.of(SPARSE, Loss.LOGISTIC, 1e-2, 0.02);
        Result ref = Lbfgs.builder().maxIterations(5000).gradientTolerance(1e-14).build().solve(p, quiet(p));
        Result r = VarianceReduced.saga().epochs(3000).build().solve(p, quiet(p));
        double[] ws = ref.weights(), wv = r.weights();
        assertTrue(pgNorm(p, wv) <= 1e-12, "SAGA's minimum-norm subgradient: " + pgNorm(p, wv));
        assertTrue(pgNorm(p, ws) <= 1e-8, "the reference is near the optimum: " + pgNorm(p, ws));
        int zeros = 0;
        for (int j = 0; j < ws.length; j++) {
            assertEquals(ws[j] == 0, wv[j] == 0, "same support at coordinate " + j + ": owlqn " + ws[j] + ", saga " + wv[j]);
            if (ws[j] == 0) zeros++;
        }
        assertTrue(zeros >= 2 && zeros <= ws.length - 2, "an l1 problem with a non-trivial support: " + zeros + " zeros");
        // F is 1e-2-strongly convex, so ||w - w*||_2 <= ||minimum-norm subgradient at w||_2 / 1e-2 for
        // both: the distance the two solutions' own optimality certify (OWL-QN stops at ~1e-9); pgNorm is
        // the infinity norm, so sqrt(d) times it bounds the 2-norm, and the 2-norm bounds the largest difference
        double tol = Math.sqrt(ws.length) * (pgNorm(p, ws) + pgNorm(p, wv)) / 1e-2;
        assertTrue(maxAbsDiff(ws, wv) <= tol, "values: " + maxAbsDiff(ws, wv) + " > " + tol + "\n" + Arrays.toString(ws) + "\n" + Arrays.toString(wv));
        assertTrue(r.objective() <= ref.objective() + 1e-12, r.objective() + " vs " + ref.objective());
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

    // ------------------------------------------------------------------ determinism, state API

    @Test
    void sameSeedIsBitIdenticalAndAnotherSeedIsNot() {
        Problem p = Problem.of(SPARSE, Loss.LOGISTIC, 1e-3, 0.01);
        for (VarianceReduced.Method m : VarianceReduced.Method.values()) {
            double[] a = VarianceReduced.builder(m).epochs(5).seed(42).build().solve(p, quiet(p)).weights();
            double[] b = VarianceReduced.builder(m).epochs(5).seed(42).build().solve(p, quiet(p)).weights();
            assertArrayEquals(a, b, m + ": same seed, same bits");
            double[] c = VarianceReduced.builder(m).epochs(5).seed(43).build().solve(p, quiet(p)).weights();
            if (m == VarianceReduced.Method.IAG) assertArrayEquals(a, c, "iag is cyclic: the seed does not matter");
            else assertFalse(Arrays.equals(a, c), m + ": another seed, another trajectory");
        }
    }

    /**
     * What a one-thread ASAGA does: one draw per step from the solver's stream, a step, a sync
     * per epoch; the solver (which draws 16 rows at a time and touches them ahead) must give
     * the same bits, for SAGA and SAG. heart_scale's 270 rows end in a short block of 14.
     */
    @ParameterizedTest
    @EnumSource(value = VarianceReduced.Method.class, names = {"SAGA", "SAG"})
    void stateStepsReproduceTheSolverTrajectory(VarianceReduced.Method m) {
        VrState.Update update = m == VarianceReduced.Method.SAGA ? VrState.Update.SAGA : VrState.Update.SAG;
        for (Dataset data : new Dataset[]{SPARSE, DENSE}) {
            Problem p = Problem.of(data, Loss.LOGISTIC, 1e-3, 0.005);
            int n = p.rows(), epochs = 4;
            double eta = VarianceReduced.defaultStep(m, p);
            VrState st = new VrState(p, update, eta);
            st.initMemory(p.data());
            SplittableRandom rnd = new SplittableRandom(5);
            Row r = new Row();
            for (int e = 0; e < epochs; e++) {
                for (int k = 0; k < n; k++) st.step(p.data().row(rnd.nextInt(n), r));
                st.sync();
            }
            double[] w = new double[p.dim()];
            st.weights(w);
            double[] ws = VarianceReduced.builder(m).epochs(epochs).seed(5).build().solve(p, quiet(p)).weights();
            assertArrayEquals(ws, w, m + ": bit-identical to the solver");
            assertEquals((long) n * epochs, st.steps());
        }
    }

    @Test
    void segmentsLongerThanAnEpochAreCut() {
        // no sync from the caller for 5n steps: the state cuts its own segments every n steps
        Dataset data = randomSparse(80, 30, 0.1, 21, false);
        Problem p = Problem.of(data, Loss.LOGISTIC, 1e-2, 0.01);
        int n = p.rows();
        double eta = VarianceReduced.defaultStep(VarianceReduced.Method.SAGA, p);
        VrState st = new VrState(p, VrState.Update.SAGA, eta);
        st.initMemory(data);
        SplittableRandom rnd = new SplittableRandom(1);
        Row r = new Row();
        for (int k = 0; k < 5 * n; k++) st.stepSaga(data.row(rnd.nextInt(n), r));
        st.sync();
        double[] w = new double[p.dim()];
        st.weights(w);
        double[] ref = naive(p, VarianceReduced.Method.SAGA, eta, 5, 1, true);
        assertTrue(maxAbsDiff(w, ref) <= 1e-12 * Math.max(1, maxAbs(ref)), "" + maxAbsDiff(w, ref));
    }

    // ------------------------------------------------------------------ options, names

    @Test
    void defaultStepsFollowTheDocumentedFormulas() {
        Problem p = Problem.of(SPARSE, Loss.LOGISTIC, 1e-2, 0);
        double lmax = p.sampleSmoothness();
        assertEquals(1 / (3 * lmax), VarianceReduced.saga().build().stepFor(p), 0);
        assertEquals(1 / (16 * lmax), VarianceReduced.sag().build().stepFor(p), 0);
        assertEquals(1 / (270 * lmax), VarianceReduced.iag().build().stepFor(p), 0);
        assertEquals(0.5, VarianceReduced.iag().step(0.5).build().stepFor(p), 0);
        assertEquals(8 * 1e-2 / (25 * 270 * lmax * (1e-2 + lmax)), VarianceReduced.iagProvenStep(p), 1e-20);
        Problem hinge = Problem.of(SPARSE, Loss.HINGE, 1e-2, 0);
        assertThrows(IllegalArgumentException.class, () -> VarianceReduced.saga().build().solve(hinge));
        assertThrows(IllegalArgumentException.class, () -> VarianceReduced.saga().step(200).build().solve(p),
                "eta l2 >= 1 is rejected");
        assertThrows(IllegalArgumentException.class, () -> VarianceReduced.saga().step(-1));
        assertThrows(IllegalArgumentException.class, () -> VarianceReduced.saga().epochs(-1));
    }

    @Test
    void targetStopsEarly() {
        Case c = cases().get(0);
        Problem p = c.problem(SPARSE);
        Result r = VarianceReduced.saga().epochs(10_000).target(c.fStar() * (1 + 1e-4)).build().solve(p, quiet(p));
        assertTrue(r.epochs() < 100, "stopped after " + r.epochs());
        assertTrue(r.objective() <= c.fStar() * (1 + 1e-4));
        Result more = VarianceReduced.saga().epochs(r.epochs() - 1).build().solve(p, quiet(p));
        assertTrue(more.objective() > c.fStar() * (1 + 1e-4), "it stopped at the first epoch that reached it");
    }

    @Test
    void solversByNameBuildsAndValidates() {
        for (String name : List.of("sag", "saga", "iag")) {
            VarianceReduced s = (VarianceReduced) Solvers.byName(name,
                    SolverOptions.builder().epochs(7).step(0.25).seed(9L).build());
            assertEquals(name, s.name());
            assertEquals(7, s.epochs());
            assertEquals(0.25, s.step());
            assertEquals(9L, s.seed());
            assertTrue(Double.isNaN(((VarianceReduced) Solvers.byName(name)).step()));
            for (SolverOptions bad : List.of(SolverOptions.builder().momentum(0.5).build(),
                    SolverOptions.builder().batch(4).build(), SolverOptions.builder().decay(0.9).build(),
                    SolverOptions.builder().schedule("constant").build(), SolverOptions.builder().tolerance(1e-6).build(),
                    SolverOptions.builder().threads(2).build())) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Solvers.byName(name, bad));
                assertTrue(e.getMessage().contains(name), e.getMessage());
            }
        }
        assertTrue(Solvers.NAMES.containsAll(List.of("sag", "saga", "iag")));
    }
}
