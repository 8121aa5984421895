package dev.warthog.jcstress.sync;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;

/**
 * The control for {@link AveragingTest} and {@link PartialGradientTest}: the same replica
 * (four coordinates) read with no barrier while its owner writes it. The reader reads the
 * coordinates in the reverse order of the writes, so any overlap of the two shows as a
 * partially written replica: an interesting outcome, which proves these tests can see what
 * the barriers forbid. Results: the coordinates 0..3 as read.
 */
@JCStressTest
@Outcome(id = "0, 0, 0, 0", expect = ACCEPTABLE, desc = "read before the write")
@Outcome(id = "1, 1, 1, 1", expect = ACCEPTABLE, desc = "read after the write")
@Outcome(expect = ACCEPTABLE_INTERESTING, desc = "a partially written replica: what a barrier prevents")
@State
public class UnsynchronizedReplicaTest {
    long x0, x1, x2, x3;

    @Actor public void owner() {
        x0 = 1;
        x1 = 1;
        x2 = 1;
        x3 = 1;
    }

    @Actor public void reader(IIII_Result r) {
        r.r4 = (int) x3;
        r.r3 = (int) x2;
        r.r2 = (int) x1;
        r.r1 = (int) x0;
    }
}
