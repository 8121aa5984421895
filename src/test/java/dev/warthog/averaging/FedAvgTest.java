package dev.warthog.averaging;

import dev.warthog.objective.Problem;
import dev.warthog.solver.Result;
import dev.warthog.solver.Sgd;
import dev.warthog.testutil.Numerics;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class FedAvgTest {
    static final Problem P = LocalSgdTest.LOGISTIC;

    @Test
    void oneLocalStepWithUnitServerStepIsSynchronousModelAveraging() {
        Result fed = FedAvg.builder().workers(3).threads(2).batch(2).seed(4).step(0.05).localSteps(1).serverStep(1)
                .epochs(2).build().solve(P, Numerics.quiet(P));
        Result sync = LocalSgd.builder().workers(3).threads(2).batch(2).seed(4).step(0.05).tau(1)
                .schedule(Sgd.Schedule.CONSTANT).epochs(2).build().solve(P, Numerics.quiet(P));
        assertTrue(Numerics.maxAbsDiff(fed.weights(), sync.weights()) <= 1e-12,
                "diff " + Numerics.maxAbsDiff(fed.weights(), sync.weights()));
    }

    @Test
    void localGdRoundMatchesHandComputation() {
        // q = 2 local GD steps on each half, then w <- w - alpha mean(w - w_k), alpha = 0.5
        int m = 2;
        double eta = 0.1, alpha = 0.5;
        Result r = FedAvg.builder().workers(m).threads(2).seed(3).step(eta).localSteps(2).serverStep(alpha).epochs(1)
                .build().solve(P, Numerics.quiet(P));
        var parts = Shares.equal(m).split(P.data().all(), 3);
        double[] want = new double[P.dim()];
        for (var part : parts) {
            double[] w = new double[P.dim()];
            for (int s = 0; s < 2; s++) {
                double[] g = new double[P.dim()];
                var row = new dev.warthog.data.Row();
                for (int k = 0; k < part.size(); k++) {
                    part.row(k, row);
                    double mg = 0;
                    for (int q = 0; q < row.nnz; q++) mg += row.value(q) * w[row.column(q)];
                    double dl = P.loss().derivative(mg, row.label);
                    for (int q = 0; q < row.nnz; q++) g[row.column(q)] += dl * row.value(q) / part.size();
                }
                for (int j = 0; j < w.length; j++) w[j] -= eta * (g[j] + P.l2() * w[j]);
            }
            for (int j = 0; j < w.length; j++) want[j] -= alpha * (0 - w[j]) / m;
        }
        assertTrue(Numerics.maxAbsDiff(want, r.weights()) <= 1e-12, "diff " + Numerics.maxAbsDiff(want, r.weights()));
    }

    @Test
    void threadIndependentAndConverges() {
        FedAvg.Builder b = FedAvg.builder().workers(4).seed(6).localSteps(5).epochs(40);
        Result r1 = b.threads(1).build().solve(P, Numerics.quiet(P));
        Result r4 = b.threads(4).build().solve(P, Numerics.quiet(P));
        Numerics.assertBitsEqual(r1.weights(), r4.weights(), "fedavg 1 vs 4 threads");
        assertEquals(LocalSgdTest.F_STAR, r1.objective(), 0.01 * LocalSgdTest.F_STAR);
        assertEquals(40, ((Number) r1.extras().get("iterations")).intValue());
    }
}
