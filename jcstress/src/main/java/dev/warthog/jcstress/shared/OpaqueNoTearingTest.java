package dev.warthog.jcstress.shared;

import dev.warthog.shared.AccessMode;
import dev.warthog.shared.SharedVector;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.J_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * An opaque read of a coordinate returns a value somebody wrote: the initial 0.0 or one of
 * the two stored values, whose high and low 32-bit halves all differ, so a torn read (half
 * of one, half of another) would show as another bit pattern. Results are raw IEEE bits.
 */
@JCStressTest
@Outcome(id = "0", expect = ACCEPTABLE, desc = "the initial 0.0")
@Outcome(id = "-4616189618054758400", expect = ACCEPTABLE, desc = "-1.0 (0xBFF0000000000000), written by writer 1")
@Outcome(id = "4607182418800017409", expect = ACCEPTABLE, desc = "1.0000000000000002 (0x3FF0000000000001), written by writer 2")
@Outcome(expect = FORBIDDEN, desc = "a torn or never-written value")
@State
public class OpaqueNoTearingTest {
    final SharedVector w = SharedVector.create(AccessMode.OPAQUE, 2);

    @Actor public void writer1() { w.setOpaque(1, -1.0); }
    @Actor public void writer2() { w.setOpaque(1, Math.nextUp(1.0)); }
    @Actor public void reader(J_Result r) { r.r1 = Double.doubleToRawLongBits(w.getOpaque(1)); }
}
