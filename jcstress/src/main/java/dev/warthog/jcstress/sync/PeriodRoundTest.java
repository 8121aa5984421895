package dev.warthog.jcstress.sync;

import dev.warthog.engine.SpinBarrier;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import java.util.concurrent.Phaser;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two periods of local SGD run in one region ({@code ReplicaWorkers.sparsePeriods}) on the
 * in-region barrier ({@code Team.sync}, a {@link SpinBarrier}): each thread writes its
 * period's values (its workers' s_i and lists, its part of the round's finite flags) with
 * plain stores, crosses the barrier, and reads the other thread's to work out the round
 * itself; a second crossing comes before anyone writes the next period's values. Each
 * thread must read exactly the other's values of the same period: a stale read (0), or
 * the next period's value (2) read in period 1, would make the two threads take different
 * rounds, and both are forbidden.
 */
@JCStressTest
@Outcome(id = "1, 2, 1, 2", expect = ACCEPTABLE, desc = "each period's values read in that period")
@Outcome(expect = FORBIDDEN, desc = "a stale value, or the next period's, read after the barrier")
@State
public class PeriodRoundTest {
    final SpinBarrier sync = new SpinBarrier(2);
    int a, b;

    @Actor public void thread0(IIII_Result r) {
        a = 1;                                        // period 1's local steps
        if (!sync.await()) throw new IllegalStateException("broken");
        r.r1 = b;                                     // the round, from both threads' values
        if (!sync.await()) throw new IllegalStateException("broken");
        a = 2;                                        // period 2
        if (!sync.await()) throw new IllegalStateException("broken");
        r.r2 = b;
    }

    @Actor public void thread1(IIII_Result r) {
        b = 1;
        if (!sync.await()) throw new IllegalStateException("broken");
        r.r3 = a;
        if (!sync.await()) throw new IllegalStateException("broken");
        b = 2;
        if (!sync.await()) throw new IllegalStateException("broken");
        r.r4 = a;
    }

    /**
     * The same two periods on the Phaser that {@code Team.sync} uses with {@code --barrier phaser}
     * ({@code arriveAndAwaitAdvance}, a negative phase when the team broke it).
     */
    @JCStressTest
    @Outcome(id = "1, 2, 1, 2", expect = ACCEPTABLE, desc = "each period's values read in that period")
    @Outcome(expect = FORBIDDEN, desc = "a stale value, or the next period's, read after the barrier")
    @State
    public static class Phased {
        final Phaser sync = new Phaser(2);
        int a, b;

        private void await() {
            if (sync.arriveAndAwaitAdvance() < 0) throw new IllegalStateException("broken");
        }

        @Actor public void thread0(IIII_Result r) {
            a = 1;
            await();
            r.r1 = b;
            await();
            a = 2;
            await();
            r.r2 = b;
        }

        @Actor public void thread1(IIII_Result r) {
            b = 1;
            await();
            r.r3 = a;
            await();
            b = 2;
            await();
            r.r4 = a;
        }
    }
}
