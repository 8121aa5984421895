package dev.warthog.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A sense-reversing barrier for a fixed number of parties that spins instead of parking: the
 * last party to arrive resets the count and bumps the generation, the others spin on the
 * generation. Spinning gives the shortest round trip when every party has its own core (a
 * synchronous iteration over cache-resident data lasts microseconds, and waking a parked
 * thread costs tens of them); when there are more parties than cores the waiters back off
 * to {@link Thread#yield()} and then to short parks, so an oversubscribed run is slow but
 * never starves the party it waits for.
 *
 * <p>Memory ordering: everything a party wrote before {@link #await} is visible to every
 * party after that await returns. The arrivals are volatile read-modify-writes of one
 * counter (so the last arriver acquires every earlier arrival), and the last arriver's
 * volatile write of the generation is what the waiters acquire.
 *
 * <p>{@link #breakBarrier()} releases every waiter at once and makes every later await
 * return false: a failure never leaves a thread spinning.
 */
public final class SpinBarrier {
    private static final VarHandle COUNT, GENERATION, BROKEN;
    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            COUNT = l.findVarHandle(SpinBarrier.class, "count", int.class);
            GENERATION = l.findVarHandle(SpinBarrier.class, "generation", int.class);
            BROKEN = l.findVarHandle(SpinBarrier.class, "broken", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Spins before a waiter starts yielding, and yields before it starts parking. */
    private static final int SPINS = 1 << 12, YIELDS = 1 << 8;
    private static final long PARK_NANOS = 20_000;

    private final int parties;
    // The counter (written by every arrival) and the generation (spun on by every waiter) sit
    // on separate cache lines, so the arrivals do not invalidate the line the waiters spin on.
    @SuppressWarnings("unused") private long p0, p1, p2, p3, p4, p5, p6;
    private volatile int count;
    @SuppressWarnings("unused") private long q0, q1, q2, q3, q4, q5, q6, q7;
    private volatile int generation;
    private volatile boolean broken;
    @SuppressWarnings("unused") private long r0, r1, r2, r3, r4, r5, r6;

    public SpinBarrier(int parties) {
        if (parties < 1) throw new IllegalArgumentException("parties must be >= 1, got " + parties);
        this.parties = parties;
    }

    public int parties() { return parties; }

    /**
     * Waits until all parties have arrived; returns true when released normally, false when
     * the barrier is (or becomes) broken.
     */
    public boolean await() {
        int g = (int) GENERATION.getAcquire(this);
        if ((boolean) BROKEN.getVolatile(this)) return false;
        if ((int) COUNT.getAndAdd(this, 1) == parties - 1) {
            COUNT.setVolatile(this, 0);   // before the release: the next generation's arrivals count from 0
            GENERATION.setVolatile(this, g + 1);
            return !(boolean) BROKEN.getVolatile(this);
        }
        for (int spins = 0; ; spins++) {
            if ((int) GENERATION.getVolatile(this) != g) return !(boolean) BROKEN.getVolatile(this);
            if ((boolean) BROKEN.getVolatile(this)) return false;
            if (spins < SPINS) Thread.onSpinWait();
            else if (spins < SPINS + YIELDS) Thread.yield();
            else LockSupport.parkNanos(PARK_NANOS);
        }
    }

    /** Releases every waiter; every await, now and later, returns false. */
    public void breakBarrier() { BROKEN.setVolatile(this, true); }

    public boolean isBroken() { return broken; }
}
