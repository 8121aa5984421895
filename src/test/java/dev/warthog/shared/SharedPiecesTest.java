package dev.warthog.shared;

import dev.warthog.data.Row;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class SharedPiecesTest {
    @Test
    void replicasBroadcastAndCopyWithoutTouchingThePadding() {
        Replicas r = new Replicas(3, 5);
        double[] w = {1, 2, 3, 4, 5};
        r.broadcast(w);
        for (int i = 0; i < 3; i++) {
            double[] out = new double[5];
            r.copyTo(i, out);
            assertArrayEquals(w, out, 0);
            double[] a = r.array(i);
            for (int k = 0; k < Replicas.PAD; k++) {
                assertEquals(0, a[k], 0, "leading pad");
                assertEquals(0, a[a.length - 1 - k], 0, "trailing pad");
            }
        }
        assertNotSame(r.array(0), r.array(1));
    }

    @Test
    void paddedCountersSumTheOthers() {
        for (boolean padded : new boolean[] {true, false}) {
            PaddedCounters c = new PaddedCounters(3, padded);
            c.incrementOwnOpaque(0);
            c.addOwnOpaque(1, 5);
            c.incrementOwnOpaque(2);
            c.incrementOwnOpaque(2);
            assertEquals(7, c.sumOthersOpaque(0));
            assertEquals(3, c.sumOthersOpaque(1));
            assertEquals(6, c.sumOthersOpaque(2));
            assertEquals(8, c.sumOpaque());
        }
    }

    @Test
    void stalenessHistogramBucketsByPowersOfTwo() {
        StalenessHistogram h = new StalenessHistogram(), g = new StalenessHistogram();
        for (long t : new long[] {0, 0, 1, 2, 3, 4, 7, 8}) h.record(t);
        g.record(100);
        h.merge(g);
        assertEquals(9, h.count());
        assertEquals(100, h.max());
        assertEquals(125.0 / 9, h.mean(), 1e-12);
        assertEquals(java.util.List.of("0", "1", "2-3", "4-7", "8-15", "64-127"), java.util.List.copyOf(h.buckets().keySet()));
        assertEquals(2L, h.buckets().get("2-3"));
    }

    @Test
    void shrinkIsCappedSoAStepNeverOvershootsZero() {
        SharedVector w = SharedVector.create(AccessMode.PLAIN, 2);
        w.setPlain(1, 3.0);
        Row r = new Row();
        r.values = new double[] {0.0};
        r.indices = new int[] {1};
        r.nnz = 1;
        w.sgdUpdateRow(r, 2.0, 0.0, new double[] {0, 0.25});   // eta c = 0.5: half of w_1 goes
        assertEquals(1.5, w.getPlain(1), 0);
        w.sgdUpdateRow(r, 2.0, 0.0, new double[] {0, 10});     // eta c = 20: capped at 1, w_1 -> 0, not -28.5
        assertEquals(0.0, w.getPlain(1), 0);
    }

    @Test
    void spinLocksExcludeAndRelease() throws Exception {
        SpinLocks l = new SpinLocks(4);
        l.lock(2);
        assertTrue(l.isLockedOpaque(2));
        assertFalse(l.isLockedOpaque(1));
        Thread t = new Thread(() -> { l.lock(2); l.unlock(2); });
        t.start();
        t.join(100);
        assertTrue(t.isAlive(), "a second locker waits");
        l.unlock(2);
        t.join(5000);
        assertFalse(t.isAlive());
        assertFalse(l.isLockedOpaque(2));
    }
}
