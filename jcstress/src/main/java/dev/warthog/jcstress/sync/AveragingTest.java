package dev.warthog.jcstress.sync;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The averaging step of local SGD / AdaComm / FedAvg (seed 003 eq. (2), every tau local
 * steps the replicas are replaced by their average), done by the workers themselves:
 * <pre>
 *   worker k: write replica k (the period's last local step) -> barrier A
 *             -> start_k = average of all replicas             -> barrier B
 *             -> next period: overwrite replica k ...
 * </pre>
 * Barrier A makes every replica complete before anybody averages; barrier B keeps a worker
 * from overwriting its replica while another still reads it. With both, every worker starts
 * its next period from the same average. Two workers; replica 1 = (2, 4), replica 2 =
 * (6, 8), so the average is (4, 6); the next period writes (100, 100). Results: worker 1's
 * start (x, y), worker 2's start (x, y).
 */
public class AveragingTest {
    abstract static class Replicas {
        double x1, y1, x2, y2;   // the two replicas; 0 = the previous period's values

        void worker1(TwoParties a, TwoParties b, IIII_Result r) {
            x1 = 2; y1 = 4;
            a.await();
            r.r1 = (int) ((x1 + x2) / 2);
            r.r2 = (int) ((y1 + y2) / 2);
            if (b != null) b.await();
            x1 = 100; y1 = 100;      // the next period's first local step
        }

        void worker2(TwoParties a, TwoParties b, IIII_Result r) {
            x2 = 6; y2 = 8;
            a.await();
            r.r3 = (int) ((x1 + x2) / 2);
            r.r4 = (int) ((y1 + y2) / 2);
            if (b != null) b.await();
            x2 = 100; y2 = 100;
        }
    }

    @JCStressTest
    @Outcome(id = "4, 6, 4, 6", expect = ACCEPTABLE, desc = "both workers start the next period from the same average")
    @Outcome(expect = FORBIDDEN, desc = "different averages: a stale, partial or already overwritten replica was read")
    @State
    public static class Spin extends Replicas {
        final TwoParties a = TwoParties.spin(), b = TwoParties.spin();
        @Actor public void worker1(IIII_Result r) { worker1(a, b, r); }
        @Actor public void worker2(IIII_Result r) { worker2(a, b, r); }
    }

    @JCStressTest
    @Outcome(id = "4, 6, 4, 6", expect = ACCEPTABLE, desc = "both workers start the next period from the same average")
    @Outcome(expect = FORBIDDEN, desc = "different averages: a stale, partial or already overwritten replica was read")
    @State
    public static class OnPhaser extends Replicas {
        final TwoParties a = TwoParties.phaser(), b = TwoParties.phaser();
        @Actor public void worker1(IIII_Result r) { worker1(a, b, r); }
        @Actor public void worker2(IIII_Result r) { worker2(a, b, r); }
    }

    /**
     * Without barrier B: a worker that leaves barrier A first may start its next period and
     * overwrite its replica while the other still averages, which then reads (100, 100) for
     * one or both coordinates (averages 51/52 or 53/54). Interesting, i.e. shown to happen:
     * the reason barrier B exists. A stale read before barrier A stays forbidden.
     */
    @JCStressTest
    @Outcome(id = "4, 6, 4, 6", expect = ACCEPTABLE, desc = "both read the replicas before either overwrote its own")
    @Outcome(id = {
        "4, 6, 4, 54",
        "4, 6, 53, 6",
        "4, 6, 53, 54",
        "4, 52, 4, 6",
        "4, 52, 4, 54",
        "4, 52, 53, 6",
        "4, 52, 53, 54",
        "51, 6, 4, 6",
        "51, 6, 4, 54",
        "51, 6, 53, 6",
        "51, 6, 53, 54",
        "51, 52, 4, 6",
        "51, 52, 4, 54",
        "51, 52, 53, 6",
        "51, 52, 53, 54"}, expect = ACCEPTABLE_INTERESTING, desc = "a replica read while its owner already wrote the next period")
    @Outcome(expect = FORBIDDEN, desc = "a stale replica after barrier A")
    @State
    public static class WithoutSecondBarrier extends Replicas {
        final TwoParties a = TwoParties.spin();
        @Actor public void worker1(IIII_Result r) { worker1(a, null, r); }
        @Actor public void worker2(IIII_Result r) { worker2(a, null, r); }
    }
}
