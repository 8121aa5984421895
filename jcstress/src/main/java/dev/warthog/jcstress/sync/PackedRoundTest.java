package dev.warthog.jcstress.sync;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The sparse averaging round of {@code ReplicaWorkers} (local SGD on sparse data), one barrier
 * crossing per period: each worker's steps log its period's changes into one of its two packs,
 * chosen by period parity, with plain stores; after the barrier each thread adds both workers' packs
 * of that period to its own copy of g (workers in index order) and goes on to the next period,
 * whose pack goes to the other slot. Packing period 3 reuses period 1's slot while the other
 * thread may be anywhere after the barrier of period 2, and so done with round 1.
 * <pre>
 *   worker k: pack[0] = period 1 -> barrier -> g_k += pack1[0] + pack2[0]
 *             pack[1] = period 2 -> barrier -> g_k += pack1[1] + pack2[1]
 *             pack[0] = period 3 (no reader in this test)
 * </pre>
 * Worker 1 packs 1, 2, 4 and worker 2 packs 10, 20, 40; both copies start at 100. Results per
 * worker: what it read in round 1, in round 2, and its copy after round 2. Reading 11 and 22
 * and ending at 133 is the only allowed outcome: a stale pack (0), the next period's pack read
 * in round 1 (4 or 40 in place of 1 or 10), or copies that differ would mean rounds that are
 * not the average of seed 003 eq. (1), or copies of g that no longer agree.
 */
public class PackedRoundTest {
    abstract static class Round {
        final int[] pack1 = new int[2], pack2 = new int[2];   // [parity]

        void worker(int[] mine, int p1, int p2, int p3, TwoParties sync, IIIIII_Result r, boolean first) {
            worker(mine, 1, p1, p2, p3, sync, r, first);
        }

        void worker(int[] mine, int slot2, int p1, int p2, int p3, TwoParties sync, IIIIII_Result r, boolean first) {
            int g = 100;                          // this thread's copy of g
            mine[0] = p1;                         // period 1's pack
            sync.await();
            int round1 = pack1[0] + pack2[0];
            g += round1;
            mine[slot2] = p2;                     // period 2, the other slot
            sync.await();
            int round2 = pack1[slot2] + pack2[slot2];
            g += round2;
            mine[0] = p3;                         // period 3 reuses period 1's slot
            if (first) { r.r1 = round1; r.r2 = round2; r.r3 = g; } else { r.r4 = round1; r.r5 = round2; r.r6 = g; }
        }
    }

    @JCStressTest
    @Outcome(id = "11, 22, 133, 11, 22, 133", expect = ACCEPTABLE, desc = "each round read its own period's packs; the copies agree")
    @Outcome(expect = FORBIDDEN, desc = "a stale pack, or the next period's pack read by a round")
    @State
    public static class Spin extends Round {
        final TwoParties sync = TwoParties.spin();
        @Actor public void worker1(IIIIII_Result r) { worker(pack1, 1, 2, 4, sync, r, true); }
        @Actor public void worker2(IIIIII_Result r) { worker(pack2, 10, 20, 40, sync, r, false); }
    }

    @JCStressTest
    @Outcome(id = "11, 22, 133, 11, 22, 133", expect = ACCEPTABLE, desc = "each round read its own period's packs; the copies agree")
    @Outcome(expect = FORBIDDEN, desc = "a stale pack, or the next period's pack read by a round")
    @State
    public static class OnPhaser extends Round {
        final TwoParties sync = TwoParties.phaser();
        @Actor public void worker1(IIIIII_Result r) { worker(pack1, 1, 2, 4, sync, r, true); }
        @Actor public void worker2(IIIIII_Result r) { worker(pack2, 10, 20, 40, sync, r, false); }
    }

    /**
     * Why the packs alternate: with one slot, period 2's pack overwrites period 1's while the
     * other thread may still be reading it in round 1, which then adds the wrong change
     * (21 = 1 + 20, or 12 = 2 + 10). {@code ReplicaWorkers} would need a second barrier.
     */
    @JCStressTest
    @Outcome(id = "11, 22, 133, 11, 22, 133", expect = ACCEPTABLE, desc = "the slot was not reused too early this time")
    @Outcome(expect = ACCEPTABLE_INTERESTING, desc = "a round read the next period's pack: one slot is not enough")
    @State
    public static class OneSlot extends Round {
        final TwoParties sync = TwoParties.spin();
        @Actor public void worker1(IIIIII_Result r) { worker(pack1, 0, 1, 2, 4, sync, r, true); }
        @Actor public void worker2(IIIIII_Result r) { worker(pack2, 0, 10, 20, 40, sync, r, false); }
    }
}
