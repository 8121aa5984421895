package dev.warthog.jcstress.shared;

import dev.warthog.data.Row;
import dev.warthog.shared.AccessMode;
import dev.warthog.shared.SharedVector;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.D_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two workers add 1.0 to the same coordinate of a {@link SharedVector}, as two Hogwild!
 * updates touching one feature do. Atomic adds never lose one; plain and opaque adds may,
 * by design (Hogwild! tolerates it).
 */
public final class SharedVectorAddTest {
    private SharedVectorAddTest() {}

    /** A one-non-zero row on column 0 with value 1: sgdUpdateRow(row, eta=1, d=-1) adds exactly 1.0. */
    static Row unitRow() {
        Row r = new Row();
        r.values = new double[] {1.0};
        r.indices = new int[] {0};
        r.offset = 0;
        r.nnz = 1;
        return r;
    }

    @JCStressTest
    @Outcome(id = "2.0", expect = ACCEPTABLE, desc = "both atomic adds landed")
    @Outcome(id = "1.0", expect = FORBIDDEN, desc = "an atomic (CAS) add was lost")
    @State
    public static class Atomic {
        final SharedVector w = SharedVector.create(AccessMode.ATOMIC, 4);
        @Actor public void worker1() { w.addAtomic(0, 1.0); }
        @Actor public void worker2() { w.addAtomic(0, 1.0); }
        @Arbiter public void check(D_Result r) { r.r1 = w.getOpaque(0); }
    }

    @JCStressTest
    @Outcome(id = "2.0", expect = ACCEPTABLE, desc = "both row updates landed")
    @Outcome(id = "1.0", expect = FORBIDDEN, desc = "an atomic row update was lost")
    @State
    public static class AtomicRowUpdate {
        final SharedVector w = SharedVector.create(AccessMode.ATOMIC, 4);
        final Row r1 = unitRow(), r2 = unitRow();
        @Actor public void worker1() { w.sgdUpdateRow(r1, 1.0, -1.0, null); }
        @Actor public void worker2() { w.sgdUpdateRow(r2, 1.0, -1.0, null); }
        @Arbiter public void check(D_Result r) { r.r1 = w.getOpaque(0); }
    }

    @JCStressTest
    @Outcome(id = "2.0", expect = ACCEPTABLE, desc = "both striped updates landed")
    @Outcome(id = "1.0", expect = FORBIDDEN, desc = "an update under the block lock was lost")
    @State
    public static class StripedRowUpdate {
        final SharedVector w = SharedVector.create(AccessMode.STRIPED, 4);
        final Row r1 = unitRow(), r2 = unitRow();
        @Actor public void worker1() { w.lockRow(r1); try { w.sgdUpdateRow(r1, 1.0, -1.0, null); } finally { w.unlockRow(r1); } }
        @Actor public void worker2() { w.lockRow(r2); try { w.sgdUpdateRow(r2, 1.0, -1.0, null); } finally { w.unlockRow(r2); } }
        @Arbiter public void check(D_Result r) { r.r1 = w.getOpaque(0); }
    }

    @JCStressTest
    @Outcome(id = "2.0", expect = ACCEPTABLE, desc = "both locked updates landed")
    @Outcome(id = "1.0", expect = FORBIDDEN, desc = "an update under the vector lock was lost")
    @State
    public static class LockedRowUpdate {
        final SharedVector w = SharedVector.create(AccessMode.LOCKED, 4);
        final Row r1 = unitRow(), r2 = unitRow();
        @Actor public void worker1() { w.lockRow(r1); try { w.sgdUpdateRow(r1, 1.0, -1.0, null); } finally { w.unlockRow(r1); } }
        @Actor public void worker2() { w.lockRow(r2); try { w.sgdUpdateRow(r2, 1.0, -1.0, null); } finally { w.unlockRow(r2); } }
        @Arbiter public void check(D_Result r) { r.r1 = w.getOpaque(0); }
    }

    @JCStressTest
    @Outcome(id = "2.0", expect = ACCEPTABLE, desc = "both plain adds landed")
    @Outcome(id = "1.0", expect = ACCEPTABLE_INTERESTING, desc = "a plain add was lost: the Hogwild! race, allowed by design")
    @State
    public static class Plain {
        final SharedVector w = SharedVector.create(AccessMode.PLAIN, 4);
        @Actor public void worker1() { w.addPlain(0, 1.0); }
        @Actor public void worker2() { w.addPlain(0, 1.0); }
        @Arbiter public void check(D_Result r) { r.r1 = w.getPlain(0); }
    }

    @JCStressTest
    @Outcome(id = "2.0", expect = ACCEPTABLE, desc = "both opaque adds landed")
    @Outcome(id = "1.0", expect = ACCEPTABLE_INTERESTING, desc = "an opaque add was lost: still lossy under races")
    @State
    public static class Opaque {
        final SharedVector w = SharedVector.create(AccessMode.OPAQUE, 4);
        @Actor public void worker1() { w.addOpaque(0, 1.0); }
        @Actor public void worker2() { w.addOpaque(0, 1.0); }
        @Arbiter public void check(D_Result r) { r.r1 = w.getOpaque(0); }
    }
}
