package dev.warthog.shared;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An array of test-and-test-and-set spin locks, each word on its own cache line (16 ints
 * apart) so neighbouring locks do not false-share. Acquire is a CAS with acquire
 * semantics, release a release store; a waiter spins with {@link Thread#onSpinWait()} and
 * yields after a while so oversubscribed runs still progress.
 */
public final class SpinLocks {
    private static final VarHandle II = MethodHandles.arrayElementVarHandle(int[].class);
    private static final int STRIDE = 16;
    private final int[] words;

    public SpinLocks(int n) { this.words = new int[(n + 2) * STRIDE]; }

    private static int slot(int i) { return (i + 1) * STRIDE; }

    public void lock(int i) {
        int s = slot(i);
        int spins = 0;
        while (true) {
            if ((int) II.getOpaque(words, s) == 0 && II.weakCompareAndSetAcquire(words, s, 0, 1)) return;
            if (++spins < 1000) Thread.onSpinWait();
            else Thread.yield();
        }
    }

    public void unlock(int i) { II.setRelease(words, slot(i), 0); }

    /** True if lock i is held (for tests). */
    public boolean isLockedOpaque(int i) { return (int) II.getOpaque(words, slot(i)) != 0; }
}
