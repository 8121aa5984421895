package dev.warthog.shared;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One long counter per worker, each on its own pair of cache lines (16 longs apart), written
 * only by its owner and read by the others. {@code padded = false} packs them adjacently,
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

    public long sumOpaque() {
        long s = 0;
        for (int i = 0; i < n; i++) s += (long) LL.getOpaque(cells, slot(i));
        return s;
    }
}
