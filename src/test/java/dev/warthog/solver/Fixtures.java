package dev.warthog.solver;

import dev.warthog.data.Dataset;
import dev.warthog.objective.Loss;
import dev.warthog.objective.Problem;
import dev.warthog.testutil.TestData;
import dev.warthog.trace.TracePoint;
import dev.warthog.trace.Tracker;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.warthog.testutil.Numerics.*;
import static org.junit.jupiter.api.Assertions.*;

/** Shared fixtures of the solver tests: heart_scale reference optima (../shared/data/README.md). */
final class Fixtures {
    private Fixtures() {}

    record Case(Loss loss, double lam, double fStar) {
        Problem problem(Dataset d) { return Problem.of(d, loss, lam, 0); }
        @Override public String toString() { return loss.cliName() + " lam=" + lam; }
    }

    static final Dataset SPARSE = TestData.heartScale();
    static final Dataset DENSE = SPARSE.toDense();

    static List<Case> cases() {
        return List.of(new Case(Loss.LOGISTIC, 1e-2, 0.378775243339),
                new Case(Loss.LOGISTIC, 1e-3, 0.355646692412),
                new Case(Loss.SQUARED, 1e-2, 0.234306364300),
                new Case(Loss.SQUARED, 1e-3, 0.232059213695));
    }

    /** The trace starts at epoch 0, epochs increase, seconds never go back, ends at the last epoch. */
    static void checkTrace(Result r) {
        List<TracePoint> pts = r.trace().points();
        assertFalse(pts.isEmpty());
        assertEquals(0, pts.get(0).epoch());
        assertEquals(0.0, pts.get(0).seconds(), 1.0, "epoch 0 is evaluated right at the start");
        for (int i = 1; i < pts.size(); i++) {
            assertTrue(pts.get(i).epoch() > pts.get(i - 1).epoch(), "epochs increase");
            assertTrue(pts.get(i).seconds() >= pts.get(i - 1).seconds(), "seconds are non-decreasing");
        }
        assertEquals(r.epochs(), pts.get(pts.size() - 1).epoch());
        assertTrue(r.trainSeconds() >= pts.get(pts.size() - 1).seconds());
        assertTrue(r.samples() > 0);
        assertEquals(1, r.threads());
    }

    /** Runs a solver that would run (practically) forever and cancels it from another thread. */
    static void checkCancel(Solver s, Problem p, int cap) throws Exception {
        Tracker t = quiet(p);
        CompletableFuture<Result> f = CompletableFuture.supplyAsync(() -> s.solve(p, t));
        while (t.progressOpaque().getAcquire() < 5) Thread.onSpinWait();
        Thread.sleep(50);
        assertFalse(f.isDone(), "the run must still be going before cancel");
        t.cancel();
        Result r = f.get(20, TimeUnit.SECONDS);
        assertTrue(r.epochs() >= 5 && r.epochs() < cap, "stopped early, after " + r.epochs());
        assertTrue(t.cancelled());
    }
}
