package dev.warthog.solver;

import dev.warthog.objective.Loss;
import dev.warthog.objective.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static dev.warthog.solver.Fixtures.*;
import static dev.warthog.testutil.Numerics.*;
import static org.junit.jupiter.api.Assertions.*;

class LbfgsTest {
    static List<Case> cases() { return Fixtures.cases(); }

    @ParameterizedTest @MethodSource("cases")
    void reachesTheReferenceOptimumToOnePartInABillion(Case c) {
        for (var data : List.of(SPARSE, DENSE)) {
            Problem p = c.problem(data);
            Result r = Lbfgs.builder().build().solve(p);
            assertTrue(rel(r.objective(), c.fStar()) < 1e-9, c + ": " + r.objective());
            assertTrue(r.epochs() < 200, "iterations " + r.epochs());
            checkTrace(r);
            // first-order optimality at the returned point
            double[] g = new double[p.dim()];
            p.gradient(r.weights(), g);
            assertTrue(Vec.norm(g) < 1e-8, "||g|| = " + Vec.norm(g));
        }
    }

    @Test
    void denseAndSparseStorageGiveTheSameAnswer() {
        for (Case c : Fixtures.cases()) {
            Solver s = Lbfgs.builder().maxIterations(15).gradientTolerance(0).build();
            assertTrue(maxAbsDiff(s.solve(c.problem(SPARSE)).weights(), s.solve(c.problem(DENSE)).weights()) < 1e-12, c.toString());
        }
        Solver owl = Lbfgs.builder().maxIterations(15).gradientTolerance(0).build();
        Problem ps = Problem.of(SPARSE, Loss.LOGISTIC, 1e-3, 0.02), pd = Problem.of(DENSE, Loss.LOGISTIC, 1e-3, 0.02);
        assertTrue(maxAbsDiff(owl.solve(ps).weights(), owl.solve(pd).weights()) < 1e-12);
    }

    @Test
    void smoothHingeIsAcceptedAndLbfgsAgreesWithGd() {
        Problem p = Problem.of(SPARSE, Loss.SMOOTH_HINGE, 1e-2, 0);
        Result a = Lbfgs.builder().build().solve(p);
        Result b = GradientDescent.agd().maxIterations(20_000).tolerance(1e-10).build().solve(p, quiet(p));
        assertEquals(b.objective(), a.objective(), 1e-10);
    }

    @Test
    void rejectsTheHingeLoss() {
        Problem p = Problem.of(SPARSE, Loss.HINGE, 1e-2, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Lbfgs.builder().build().solve(p));
        assertTrue(e.getMessage().contains("smooth"), e.getMessage());
    }

    @ParameterizedTest @ValueSource(doubles = {0.005, 0.02, 0.05})
    void owlqnAndProximalGdAgreeOnAnL1Problem(double l1) {
        Problem p = Problem.of(SPARSE, Loss.LOGISTIC, 1e-3, l1);
        Result owl = Lbfgs.builder().build().solve(p);
        Result pgd = GradientDescent.gd().maxIterations(100_000).tolerance(1e-11).build().solve(p, quiet(p));
        Result pagd = GradientDescent.agd().maxIterations(100_000).tolerance(1e-11).build().solve(p, quiet(p));
        int zeros = 0;
        for (int j = 0; j < p.dim(); j++) {
            assertEquals(pgd.weights()[j] == 0, owl.weights()[j] == 0, "support differs at " + j);
            assertEquals(pagd.weights()[j] == 0, owl.weights()[j] == 0, "support differs at " + j);
            if (owl.weights()[j] == 0) zeros++;
        }
        assertTrue(zeros >= 1, "l1 gives exact zeros");
        assertTrue(maxAbsDiff(pgd.weights(), owl.weights()) < 1e-6, "" + maxAbsDiff(pgd.weights(), owl.weights()));
        assertTrue(maxAbsDiff(pagd.weights(), owl.weights()) < 1e-6, "" + maxAbsDiff(pagd.weights(), owl.weights()));
        assertEquals(pgd.objective(), owl.objective(), 1e-12);
        // first-order optimality of the OWL-QN point: minimum-norm subgradient ~ 0
        double[] g = new double[p.dim()], pg = new double[p.dim()];
        p.gradient(owl.weights(), g);
        assertTrue(Vec.pseudoGradient(owl.weights(), g, l1, pg) < 1e-8);
    }

    @Test
    void largerL1GivesSparserSolutions() {
        int prev = -1;
        for (double l1 : new double[]{0, 0.01, 0.03, 0.1}) {
            double[] w = Lbfgs.builder().build().solve(Problem.of(SPARSE, Loss.LOGISTIC, 1e-3, l1)).weights();
            int zeros = 0;
            for (double x : w) if (x == 0) zeros++;
            assertTrue(zeros >= prev, "l1=" + l1 + ": " + zeros + " zeros");
            prev = zeros;
        }
        assertTrue(prev >= 8, "l1=0.1 zeroes most of heart_scale's 13 weights, got " + prev);
    }

    @Test
    void cubicInterpolationFindsTheMinimumOfACubic() {
        // f(x) = (x-1)^3/3 - (x-1) has its local minimum at x = 2
        double a = 1.5, b = 3;
        double fa = Math.pow(a - 1, 3) / 3 - (a - 1), fb = Math.pow(b - 1, 3) / 3 - (b - 1);
        double da = (a - 1) * (a - 1) - 1, db = (b - 1) * (b - 1) - 1;
        assertEquals(2.0, Lbfgs.cubicMin(a, fa, da, b, fb, db, 1.5, 3), 1e-12);
        assertEquals(2.0, Lbfgs.cubicMin(b, fb, db, a, fa, da, 1.5, 3), 1e-12);
    }

    @Test
    void iterationCapAndBuilderValidation() {
        Problem p = Problem.of(SPARSE, Loss.LOGISTIC, 1e-3, 0);
        assertEquals(3, Lbfgs.builder().maxIterations(3).build().solve(p).epochs());
        assertThrows(IllegalArgumentException.class, () -> Lbfgs.builder().memory(0));
        assertThrows(IllegalArgumentException.class, () -> Lbfgs.builder().maxIterations(-1));
    }
}
