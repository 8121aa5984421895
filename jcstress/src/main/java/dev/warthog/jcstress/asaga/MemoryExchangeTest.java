package dev.warthog.jcstress.asaga;

import dev.warthog.asaga.SagaMemory;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two ASAGA workers draw the same sample i and swap in their new derivative with
 * {@link SagaMemory#exchange} (alpha_i starts at 0.0), while alpha_i is also read with
 * {@link SagaMemory#memoryOpaque}. The stored values are -1.0 (0xBFF0000000000000) and
 * 1.0000000000000002 (0x3FF0000000000001): their high and low 32-bit halves all differ from
 * each other and from 0.0, so a torn value shows as none of the codes 0, 1, 2.
 *
 * <p>Codes: 0 = 0.0 (the initial value), 1 = -1.0 (worker 1's), 2 = 1.0000000000000002
 * (worker 2's), 9 = a value nobody wrote. In both tests r1, r2 are the old values the two
 * exchanges returned (the a_old each worker's delta subtracts), r3 what the read saw, r4
 * alpha_i at the end. Every write is accounted exactly once: {r1, r2, r4} = {0, 1, 2}, i.e. one
 * exchange got the initial value, the other got the first one's value, and the second value is
 * what remains; so the deltas a_new - a_old telescope to final - initial and gbar, which adds
 * delta x_i / n, stays (1/n) sum alpha_i x_i.
 */
public final class MemoryExchangeTest {
    private MemoryExchangeTest() {}

    static final double A = -1.0;                   // 0xBFF00000_00000000
    static final double B = Math.nextUp(1.0);       // 0x3FF00000_00000001
    static final long A_BITS = Double.doubleToRawLongBits(A), B_BITS = Double.doubleToRawLongBits(B);

    static int code(double v) {
        long b = Double.doubleToRawLongBits(v);
        return b == 0L ? 0 : b == A_BITS ? 1 : b == B_BITS ? 2 : 9;
    }

    /**
     * Two threads (runs on a 2-CPU machine): worker 2 reads alpha_i, then exchanges. Coherence
     * forbids "2, 0, 1, 1": worker 2's read cannot see worker 1's value if worker 2's exchange,
     * later in its program order, came before worker 1's.
     */
    @JCStressTest
    @Outcome(id = "0, 1, 0, 2", expect = ACCEPTABLE, desc = "worker 1 first, then worker 2, whose read came before worker 1's exchange")
    @Outcome(id = "0, 1, 1, 2", expect = ACCEPTABLE, desc = "worker 1 first, then worker 2, whose read saw worker 1's value")
    @Outcome(id = "2, 0, 0, 1", expect = ACCEPTABLE, desc = "worker 2 first (it read the initial value), then worker 1")
    @Outcome(id = "0, 0, 0, 1", expect = FORBIDDEN, desc = "both exchanges returned the initial value: a delta counted twice, worker 2's write lost")
    @Outcome(id = "0, 0, 0, 2", expect = FORBIDDEN, desc = "both exchanges returned the initial value: a delta counted twice, worker 1's write lost")
    @Outcome(expect = FORBIDDEN, desc = "a torn or never-written value, a write not accounted exactly once, or an incoherent read")
    @State
    public static class TwoWorkers {
        final SagaMemory mem = new SagaMemory(3, 1);
        @Actor public void worker1(IIII_Result r) { r.r1 = code(mem.exchange(2, A)); }
        @Actor public void worker2(IIII_Result r) { r.r3 = code(mem.memoryOpaque(2)); r.r2 = code(mem.exchange(2, B)); }
        @Arbiter public void check(IIII_Result r) { r.r4 = code(mem.memoryOpaque(2)); }
    }

    /** Three threads (needs 3 CPUs; jcstress skips it on 2): a separate reader sees 0, 1 or 2, never a torn value. */
    @JCStressTest
    @Outcome(id = "0, 1, 0, 2", expect = ACCEPTABLE, desc = "worker 1 first, then worker 2; the reader saw the initial value")
    @Outcome(id = "0, 1, 1, 2", expect = ACCEPTABLE, desc = "worker 1 first, then worker 2; the reader saw worker 1's value")
    @Outcome(id = "0, 1, 2, 2", expect = ACCEPTABLE, desc = "worker 1 first, then worker 2; the reader saw worker 2's value")
    @Outcome(id = "2, 0, 0, 1", expect = ACCEPTABLE, desc = "worker 2 first, then worker 1; the reader saw the initial value")
    @Outcome(id = "2, 0, 1, 1", expect = ACCEPTABLE, desc = "worker 2 first, then worker 1; the reader saw worker 1's value")
    @Outcome(id = "2, 0, 2, 1", expect = ACCEPTABLE, desc = "worker 2 first, then worker 1; the reader saw worker 2's value")
    @Outcome(expect = FORBIDDEN, desc = "a torn or never-written value, or a write not accounted exactly once")
    @State
    public static class WithReader {
        final SagaMemory mem = new SagaMemory(3, 1);
        @Actor public void worker1(IIII_Result r) { r.r1 = code(mem.exchange(2, A)); }
        @Actor public void worker2(IIII_Result r) { r.r2 = code(mem.exchange(2, B)); }
        @Actor public void reader(IIII_Result r) { r.r3 = code(mem.memoryOpaque(2)); }
        @Arbiter public void check(IIII_Result r) { r.r4 = code(mem.memoryOpaque(2)); }
    }
}
