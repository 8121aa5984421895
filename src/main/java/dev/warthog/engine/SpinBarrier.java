package dev.warthog.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A sense-reversing barrier for a fixed number of parties whose waiters spin before they yield
 * or park: the last party to arrive resets the count and bumps the generation, the others spin
 * on the generation. Spinning gives the shortest round trip when every party has its own core
 * (a synchronous iteration over cache-resident data lasts microseconds, and waking a parked
 * thread costs tens of them). A waiter spins for a time budget ({@link #spinNanos()}), then
 * yields 256 times and then parks 20 us at a time, so an oversubscribed run is slow but never
 * starves the party it waits for.
 *
 * <p>The budget is long (1 ms) when every party can have a processor: a nap of 20 us asked
 * took 115-127 us on the 2-vCPU VM of docs/benchmarks.md, and a waiter that naps comes back
 * late, so its partner waits at the next barrier long enough to nap too. With the old budget of
 * 4,096 spins (130-150 us there) PASGD's two threads fell into that alternation for hundreds of
 * periods at a time in the VM's noisy spells (section 7). With more
 * parties than processors the budget is short (100 us): there a spinner holds the core that the
 * party it waits for needs (between its yields, below). A barrier inside a region
 * ({@link #inRegion}) spins 10 ms: a nap there once came back about 1 ms late, so 1 ms did not
 * stop the alternation.
 *
 * <p>After {@link #YIELD_AFTER_NANOS} of a wait the spin yields between its clock reads: when
 * the party it waits for shares its core (another thread took the other one: the JIT, the GC,
 * another process), a spin without yields held the core until the scheduler's time slice
 * ended, and the two parties took turns at one period per slice (4-8 ms each,
 * docs/benchmarks.md section 7).
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

    /** The spin budget with a core per party, and with more parties than processors. */
    static final long SPIN_NANOS = 1_000_000, SHARED_SPIN_NANOS = 100_000;
    /**
     * The spin budget of a barrier inside a region ({@link #inRegion}) with a core per party: its
     * waiters wait only for the other parties' share of the same work, never for a caller.
     */
    static final long IN_REGION_SPIN_NANOS = 10_000_000;
    /** Spins between two reads of the clock (about 2 us on the VM of docs/benchmarks.md, where 4,096 spins took 130-150 us), and yields between the spinning and the parking. */
    private static final int CLOCK_EVERY = 64, YIELDS = 1 << 8;
    private static final long PARK_NANOS = 20_000;
    /**
     * From this far into a wait, the spin yields once per clock read. Longer than 98% of the
     * waits of PASGD's two threads at tau 8 on the VM (median 0.5 us, 95th percentile 9 us);
     * a yield with nothing else to run costs about a microsecond.
     */
    static final long YIELD_AFTER_NANOS = 20_000;

    private final int parties;
    private final long spinNanos;
    // The counter (written by every arrival) and the generation (spun on by every waiter) sit
    // on separate cache lines, so the arrivals do not invalidate the line the waiters spin on.
    @SuppressWarnings("unused") private long p0, p1, p2, p3, p4, p5, p6;
    private volatile int count;
    @SuppressWarnings("unused") private long q0, q1, q2, q3, q4, q5, q6, q7;
    private volatile int generation;
    private volatile boolean broken;
    @SuppressWarnings("unused") private long r0, r1, r2, r3, r4, r5, r6;

    /** A barrier whose spin budget suits {@code parties} on this machine's processors ({@link #spinNanosFor}). */
    public SpinBarrier(int parties) {
        this(parties, spinNanosFor(parties, Runtime.getRuntime().availableProcessors()));
    }

    /** A barrier whose waiters spin for {@code spinNanos} (yielding at every clock read from {@link #YIELD_AFTER_NANOS} on) before they back off: 256 yields, then naps. */
    public SpinBarrier(int parties, long spinNanos) {
        if (parties < 1) throw new IllegalArgumentException("parties must be >= 1, got " + parties);
        if (spinNanos < 0) throw new IllegalArgumentException("spin budget must be >= 0 ns, got " + spinNanos);
        this.parties = parties;
        this.spinNanos = spinNanos;
    }

    /** The default spin budget: {@link #SPIN_NANOS} when every party can have a processor, else {@link #SHARED_SPIN_NANOS}. */
    static long spinNanosFor(int parties, int processors) {
        return parties <= processors ? SPIN_NANOS : SHARED_SPIN_NANOS;
    }

    /**
     * A barrier crossed inside a region of work ({@code Team.sync}): with a core per party it
     * spins {@link #IN_REGION_SPIN_NANOS} before it naps. A wait there is the other parties'
     * step-time spread, and sometimes a few ms (a worker drawing its next permutation of 230,000
     * rows, the VM taking a core away). A waiter that napped after 1 ms came back about 1 ms
     * late, more than the budget, so its partner napped at the next crossing too, and the two
     * took turns for dozens of periods of 2 ms each (docs/benchmarks.md section 7).
     */
    public static SpinBarrier inRegion(int parties) {
        return new SpinBarrier(parties, inRegionSpinNanosFor(parties, Runtime.getRuntime().availableProcessors()));
    }

    /** {@link #inRegion}'s budget: {@link #IN_REGION_SPIN_NANOS} when every party can have a processor, else {@link #SHARED_SPIN_NANOS}. */
    static long inRegionSpinNanosFor(int parties, int processors) {
        return parties <= processors ? IN_REGION_SPIN_NANOS : SHARED_SPIN_NANOS;
    }

    public int parties() { return parties; }

    /**
     * How long a waiter spins before it backs off (256 yields, then naps), counted from its
     * first clock read (after 64 spins, about 2 us here) and checked every 64 spins; from
     * {@link #YIELD_AFTER_NANOS} on, the spin itself yields at every check.
     */
    public long spinNanos() { return spinNanos; }

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
        // the hot loop is kept as small as the plain spin it replaced: the clock is read every
        // CLOCK_EVERY spins (the first time after CLOCK_EVERY: a quick crossing reads it never)
        long spinEnd = 0, yieldFrom = 0;
        boolean timed = false;
        for (int spins = 0; ; spins++) {
            if ((int) GENERATION.getVolatile(this) != g) return !(boolean) BROKEN.getVolatile(this);
            if ((boolean) BROKEN.getVolatile(this)) return false;
            if (spins < CLOCK_EVERY) { Thread.onSpinWait(); continue; }
            spins = 0;
            long now = System.nanoTime();
            if (!timed) { spinEnd = now + spinNanos; yieldFrom = now + YIELD_AFTER_NANOS; timed = true; }
            else if (now - spinEnd >= 0) return backOff(g);
            else if (now - yieldFrom >= 0) Thread.yield();   // a party waiting for this core gets it now
        }
    }

    /** After the spin budget: yields, then naps, until the generation moves on or the barrier breaks. */
    private boolean backOff(int g) {
        for (int yields = 0; ; ) {
            if ((int) GENERATION.getVolatile(this) != g) return !(boolean) BROKEN.getVolatile(this);
            if ((boolean) BROKEN.getVolatile(this)) return false;
            if (yields < YIELDS) { yields++; Thread.yield(); }
            else LockSupport.parkNanos(PARK_NANOS);
        }
    }

    /** Releases every waiter; every await, now and later, returns false. */
    public void breakBarrier() { BROKEN.setVolatile(this, true); }

    public boolean isBroken() { return broken; }
}
