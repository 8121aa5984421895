package dev.warthog.solver;

import dev.warthog.objective.Loss;
import dev.warthog.objective.Problem;
import dev.warthog.trace.Tracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static dev.warthog.solver.Fixtures.*;
import static dev.warthog.testutil.Numerics.*;
import static org.junit.jupiter.api.Assertions.*;

class GradientDescentTest {
    static List<Case> cases() { return Fixtures.cases(); }

    @ParameterizedTest @MethodSource("cases")
    void gdAndAgdReachTheReferenceOptimum(Case c) {
        Problem p = c.problem(SPARSE);
        Result gd = GradientDescent.gd().maxIterations(20_000).tolerance(1e-9).build().solve(p, quiet(p));
        Result agd = GradientDescent.agd().maxIterations(20_000).tolerance(1e-9).build().solve(p, quiet(p));
        assertTrue(rel(gd.objective(), c.fStar()) < 1e-6, "gd " + gd.objective());
        assertTrue(rel(agd.objective(), c.fStar()) < 1e-6, "agd " + agd.objective());
        assertTrue(gd.epochs() < 20_000 && agd.epochs() < 20_000, "stopped by the gradient tolerance");
        assertTrue(agd.epochs() < gd.epochs(), "momentum needs fewer iterations: agd " + agd.epochs() + " vs gd " + gd.epochs());
        assertEquals("gd", gd.algorithm());
        assertEquals("agd", agd.algorithm());
    }

    @Test
    void logisticOptimumHasTheReferenceAccuracy() {
        Problem p = Problem.of(SPARSE, Loss.LOGISTIC, 1e-3, 0);
        Result r = GradientDescent.agd().maxIterations(5000).build().solve(p, quiet(p));
        assertEquals(0.8333, dev.warthog.objective.Metrics.accuracy(p.data(), r.weights()), 1e-4);
    }

    @ParameterizedTest @MethodSource("cases")
    void backtrackingReachesTheOptimum(Case c) {
        Problem p = c.problem(SPARSE);
        for (GradientDescent.Builder b : new GradientDescent.Builder[]{GradientDescent.gd(), GradientDescent.agd()}) {
            Result r = b.backtracking(true).maxIterations(20_000).tolerance(1e-9).build().solve(p, quiet(p));
            assertTrue(rel(r.objective(), c.fStar()) < 1e-6, r.algorithm() + " " + r.objective());
        }
    }

    @Test
    void fixedIterationsWithoutToleranceRunsExactlyThatMany() {
        Problem p = Problem.of(SPARSE, Loss.LOGISTIC, 1e-2, 0);
        Result r = GradientDescent.gd().maxIterations(37).tolerance(0).build().solve(p);
        assertEquals(37, r.epochs());
        assertEquals(38L * p.rows(), r.samples());
        checkTrace(r);
        assertEquals(38, r.trace().size());
        // the trace's objective decreases monotonically for gd with step 1/L
        for (int i = 1; i < r.trace().size(); i++)
            assertTrue(r.trace().points().get(i).objective() <= r.trace().points().get(i - 1).objective() + 1e-15);
    }

    @Test
    void denseAndSparseStorageGiveTheSameAnswer() {
        for (GradientDescent s : new GradientDescent[]{GradientDescent.gd().maxIterations(300).tolerance(0).build(),
                GradientDescent.agd().maxIterations(300).tolerance(0).build(),
                GradientDescent.gd().backtracking(true).maxIterations(40).tolerance(0).build()}) {
            for (Case c : Fixtures.cases()) {
                Result a = s.solve(c.problem(SPARSE)), b = s.solve(c.problem(DENSE));
                assertTrue(maxAbsDiff(a.weights(), b.weights()) < 1e-12, s + " " + c);
            }
        }
    }

    @Test
    void updateIsTheSeedsMomentumRecursion() {
        // three steps of v <- beta v + g(w); w <- w - alpha v, computed by hand with Problem.gradient
        Problem p = Problem.of(DENSE, Loss.LOGISTIC, 1e-2, 0);
        double alpha = 0.3, beta = 0.7;
        double[] w = new double[p.dim()], v = new double[p.dim()], g = new double[p.dim()];
        for (int t = 0; t < 3; t++) {
            p.gradient(w, g);
            for (int j = 0; j < w.length; j++) { v[j] = beta * v[j] + g[j]; w[j] -= alpha * v[j]; }
        }
        Result r = GradientDescent.agd().momentum(beta).step(alpha).maxIterations(3).tolerance(0).build().solve(p);
        assertArrayEquals(w, r.weights(), 0.0);
    }

    @Test
    void cancelFromAnotherThreadStopsALongRun() throws Exception {
        Problem p = Problem.of(SPARSE, Loss.LOGISTIC, 1e-3, 0);
        checkCancel(GradientDescent.agd().maxIterations(Integer.MAX_VALUE).tolerance(0).build(), p, Integer.MAX_VALUE);
    }

    @Test
    void targetObjectiveStopsTheRun() {
        Problem p = Problem.of(SPARSE, Loss.LOGISTIC, 1e-2, 0);
        Tracker t = Tracker.builder(p).targetObjective(0.378775243339 * (1 + 1e-3)).build();
        Result r = GradientDescent.gd().maxIterations(100_000).tolerance(0).build().solve(p, t);
        assertTrue(t.targetReached());
        assertTrue(r.epochs() < 1000, "" + r.epochs());
    }

    @Test
    void hingeNeedsAnExplicitStepAndRunsAsASubgradientMethod() {
        Problem p = Problem.of(SPARSE, Loss.HINGE, 1e-2, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GradientDescent.gd().build().solve(p));
        assertTrue(e.getMessage().contains("not smooth"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GradientDescent.gd().step(0.1).backtracking(true).build().solve(p));
        Result r = GradientDescent.gd().step(0.05).maxIterations(500).build().solve(p, quiet(p));
        assertEquals(500, r.epochs());
        assertTrue(r.objective() < 0.7 * p.value(new double[p.dim()]), "" + r.objective());
    }

    @Test
    void builderRejectsBadValues() {
        assertThrows(IllegalArgumentException.class, () -> GradientDescent.agd().momentum(1.0));
        assertThrows(IllegalArgumentException.class, () -> GradientDescent.gd().step(-1));
        assertThrows(IllegalArgumentException.class, () -> GradientDescent.gd().maxIterations(-1));
        assertThrows(IllegalArgumentException.class, () -> GradientDescent.gd().tolerance(Double.NaN));
    }
}
