package dev.warthog.trace;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A monotone counter written by one thread (the solver) and read by others (a progress bar,
 * a monitor). Writes are release stores and reads acquire loads, so a reader that sees epoch
 * k also sees everything the solver wrote before publishing k; the value never goes back.
 * Padded so the hot counter does not share a cache line with its neighbours.
 */
public final class ProgressCounter {
    private static final VarHandle VALUE;
    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(ProgressCounter.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") private long p01, p02, p03, p04, p05, p06, p07;
    private long value;
    @SuppressWarnings("unused") private long p11, p12, p13, p14, p15, p16, p17;

    /** Publishes {@code v} if it is larger than the current value (single writer). */
    public void setRelease(long v) {
        if (v > (long) VALUE.getOpaque(this)) VALUE.setRelease(this, v);
    }

    public long getAcquire() { return (long) VALUE.getAcquire(this); }
}
