package dev.warthog.jcstress.sync;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The sparse averaging round of {@code ReplicaWorkers} (local SGD on sparse data): each
 * worker k writes its period's change u_k during its local steps; after barrier A thread t
 * applies, for the coordinates it owns only, every worker's change to the global g
 * (g_j += u_1j + u_2j, workers in index order) and sets those u_ij back to 0, including the
 * other worker's; after barrier B every worker starts its next period reading g and its own u.
 * <pre>
 *   worker k: u_k = its steps' change -> barrier A -> apply coordinate k of u_1, u_2 to g, zero them
 *             -> barrier B -> next period reads g (both coordinates) and u_k (both)
 * </pre>
 * Coordinate 0 is owned by worker 1, coordinate 1 by worker 2. u_1 = (1, 2), u_2 = (10, 20),
 * g = (100, 200) before the round, so after it g = (111, 222) and both u are (0, 0). Results:
 * worker 1 reads g_0, g_1, u_10 + u_11; worker 2 reads g_0, g_1, u_20 + u_21. Any other outcome
 * means a change applied twice or not at all, a half-applied g, or a zero (written by the
 * other thread) not seen after barrier B, which would add a stale change to the next period.
 */
public class OwnerApplyTest {
    abstract static class Round {
        final double[] g = {100, 200};
        final double[] u1 = new double[2], u2 = new double[2];

        void worker(int own, double[] mine, double a, double b, TwoParties barrierA, TwoParties barrierB,
                    IIIIII_Result r, boolean first) {
            mine[0] = a;                  // the period's local steps
            mine[1] = b;
            barrierA.await();
            double x = g[own] + u1[own];  // workers in index order
            g[own] = x + u2[own];
            u1[own] = 0;
            u2[own] = 0;
            barrierB.await();
            int g0 = (int) g[0], g1 = (int) g[1], left = (int) (mine[0] + mine[1]);
            if (first) { r.r1 = g0; r.r2 = g1; r.r3 = left; } else { r.r4 = g0; r.r5 = g1; r.r6 = left; }
        }
    }

    @JCStressTest
    @Outcome(id = "111, 222, 0, 111, 222, 0", expect = ACCEPTABLE, desc = "each change applied once, every u cleared, seen by both")
    @Outcome(expect = FORBIDDEN, desc = "a change lost or applied on a stale g, or a cleared u still seen after barrier B")
    @State
    public static class Spin extends Round {
        final TwoParties a = TwoParties.spin(), b = TwoParties.spin();
        @Actor public void worker1(IIIIII_Result r) { worker(0, u1, 1, 2, a, b, r, true); }
        @Actor public void worker2(IIIIII_Result r) { worker(1, u2, 10, 20, a, b, r, false); }
    }

    @JCStressTest
    @Outcome(id = "111, 222, 0, 111, 222, 0", expect = ACCEPTABLE, desc = "each change applied once, every u cleared, seen by both")
    @Outcome(expect = FORBIDDEN, desc = "a change lost or applied on a stale g, or a cleared u still seen after barrier B")
    @State
    public static class OnPhaser extends Round {
        final TwoParties a = TwoParties.phaser(), b = TwoParties.phaser();
        @Actor public void worker1(IIIIII_Result r) { worker(0, u1, 1, 2, a, b, r, true); }
        @Actor public void worker2(IIIIII_Result r) { worker(1, u2, 10, 20, a, b, r, false); }
    }
}
