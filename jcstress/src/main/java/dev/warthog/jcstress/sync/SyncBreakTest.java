package dev.warthog.jcstress.sync;

import dev.warthog.engine.SpinBarrier;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import java.util.concurrent.Phaser;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The failure side of the in-region barrier ({@code Team.sync}): thread 0 crosses it once
 * with thread 1, then its task fails, which breaks the barrier instead of arriving again.
 * Thread 1 tries to cross twice. It must never pass the second crossing (thread 0 never
 * arrived there) and must never wait forever: it gets false there. If the break lands
 * while thread 1 is still leaving the first crossing, it may see false already there; both
 * threads then leave the region, which is allowed.
 * r1: thread 0's first crossing (1 = passed); r2: how many crossings thread 1 passed.
 */
@JCStressTest
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "thread 1 passed the first crossing and got false at the second")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the break overtook the first release: thread 1 leaves one crossing early")
@Outcome(id = "1, 2", expect = FORBIDDEN, desc = "thread 1 passed a crossing thread 0 never reached")
@Outcome(expect = FORBIDDEN, desc = "thread 0's first crossing failed with nobody broken")
@State
public class SyncBreakTest {
    final SpinBarrier sync = new SpinBarrier(2);

    @Actor public void failing(II_Result r) {
        r.r1 = sync.await() ? 1 : 0;
        sync.breakBarrier();          // the task threw: Team.fail breaks the in-region barrier
    }

    @Actor public void other(II_Result r) {
        int passed = 0;
        if (sync.await()) {
            passed = 1;
            if (sync.await()) passed = 2;
        }
        r.r2 = passed;
    }

    /**
     * The same failure with {@code --barrier phaser}: {@code Team.fail} force-terminates the
     * in-region Phaser, and {@code Team.sync} returns false for a negative phase.
     */
    @JCStressTest
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "thread 1 passed the first crossing and got false at the second")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the termination overtook the first advance: thread 1 leaves one crossing early")
    @Outcome(id = "1, 2", expect = FORBIDDEN, desc = "thread 1 passed a crossing thread 0 never reached")
    @Outcome(expect = FORBIDDEN, desc = "thread 0's first crossing failed with nobody broken")
    @State
    public static class Phased {
        final Phaser sync = new Phaser(2);

        @Actor public void failing(II_Result r) {
            r.r1 = sync.arriveAndAwaitAdvance() >= 0 ? 1 : 0;
            sync.forceTermination();
        }

        @Actor public void other(II_Result r) {
            int passed = 0;
            if (sync.arriveAndAwaitAdvance() >= 0) {
                passed = 1;
                if (sync.arriveAndAwaitAdvance() >= 0) passed = 2;
            }
            r.r2 = passed;
        }
    }
}
