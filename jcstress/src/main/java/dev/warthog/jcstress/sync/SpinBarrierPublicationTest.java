package dev.warthog.jcstress.sync;

import dev.warthog.engine.SpinBarrier;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@link SpinBarrier}'s contract: everything a party wrote before {@code await} is visible
 * to every party after it returns. Two parties each write a plain field, await, and read the
 * other's field: the initial 0 after the barrier is a stale read, forbidden.
 */
@JCStressTest
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "each party sees the other's write after the barrier")
@Outcome(expect = FORBIDDEN, desc = "stale read after the barrier (the other party's write not visible)")
@State
public class SpinBarrierPublicationTest {
    final SpinBarrier barrier = new SpinBarrier(2);
    int a, b;

    @Actor public void partyA(II_Result r) {
        a = 1;
        if (!barrier.await()) throw new IllegalStateException("broken");
        r.r1 = b;
    }

    @Actor public void partyB(II_Result r) {
        b = 1;
        if (!barrier.await()) throw new IllegalStateException("broken");
        r.r2 = a;
    }

    /**
     * The same with no spin budget: a waiter spins 128 times and then yields and naps
     * ({@code SpinBarrier.backOff}), the path a long wait takes; it must publish as well.
     */
    @JCStressTest
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "each party sees the other's write after the barrier")
    @Outcome(expect = FORBIDDEN, desc = "stale read after a barrier crossed by backing off")
    @State
    public static class NoSpinBudget {
        final SpinBarrier barrier = new SpinBarrier(2, 0);
        int a, b;

        @Actor public void partyA(II_Result r) {
            a = 1;
            if (!barrier.await()) throw new IllegalStateException("broken");
            r.r1 = b;
        }

        @Actor public void partyB(II_Result r) {
            b = 1;
            if (!barrier.await()) throw new IllegalStateException("broken");
            r.r2 = a;
        }
    }
}
