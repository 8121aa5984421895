package dev.warthog.shared;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One long counter per worker, each on its own pair of cache lines (16 longs apart), written
 * only by its owner and read by the others: opaquely where only the count matters (the
 * staleness measurement), with release stores and acquire loads where a reader acts on what
 * the owner wrote before its count (the parameter server's bounded staleness). {@code padded = false} packs them adjacently,
 * for the false-sharing benchmark.
 */
public final class PaddedCounters {
    private static final VarHandle LL = MethodHandles.arrayElementVarHandle(long[].class);
    private final long[] cells;
    private final int stride;
    private final int n;

    public PaddedCounters(int n) { this(n, true); }

    public PaddedCounters(int n, boolean padded) {
        this.n = n;
        this.stride = padded ? 16 : 1;
        this.cells = new long[(n + 2) * stride];
    }

    public int size() { return n; }

    private int slot(int i) { return (i + 1) * stride; }

    /** Owner-only increment: a plain read and an opaque store (single writer, so nothing is lost). */
    public void incrementOwnOpaque(int i) {
        int s = slot(i);
        LL.setOpaque(cells, s, cells[s] + 1);
    }

    /** Owner-only add. */
    public void addOwnOpaque(int i, long delta) {
        int s = slot(i);
        LL.setOpaque(cells, s, cells[s] + delta);
    }

    public long getOpaque(int i) { return (long) LL.getOpaque(cells, slot(i)); }

    /** Sum of every counter but {@code me}'s, each read opaquely. */
    public long sumOthersOpaque(int me) {
        long s = 0;
        for (int i = 0; i < n; i++) if (i != me) s += (long) LL.getOpaque(cells, slot(i));
        return s;
    }

    /**
     * Owner-only increment with a release store: whatever the owner wrote before (the
     * parameter server's update of w) is visible to a thread that reads the new count with
     * {@link #minAcquire}.
     */
    public void incrementOwnRelease(int i) {
        int s = slot(i);
        LL.setRelease(cells, s, cells[s] + 1);
    }

    /** Owner-only store with release semantics (e.g. Long.MAX_VALUE: the owner left, and drops out of {@link #minAcquire}). */
    public void setOwnRelease(int i, long v) { LL.setRelease(cells, slot(i), v); }

    /**
     * The smallest counter, each read with an acquire load. Every value read was stored by its
     * owner, and a later call never sees an owner's counter below an earlier call's; a read may
     * be stale, i.e. smaller than the owner's latest value, never larger.
     */
    public long minAcquire() {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) min = Math.min(min, (long) LL.getAcquire(cells, slot(i)));
        return min;
    }

    public long sumOpaque() {
        long s = 0;
        for (int i = 0; i < n; i++) s += (long) LL.getOpaque(cells, slot(i));
        return s;
    }
}
