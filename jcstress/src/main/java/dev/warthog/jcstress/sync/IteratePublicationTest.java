package dev.warthog.jcstress.sync;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The start of a {@code Team} region (synchronous GD, mini-batch SGD): between two regions
 * the server (worker 0, the caller) writes the new iterate w_{t+1} with plain stores, then
 * crosses the start barrier; a worker that crossed it reads the iterate to compute its
 * gradient and must see all of w_{t+1}: the previous iterate w_t or a mix of the two is
 * forbidden. The iterate is two doubles plus its iteration number; w_t = (1, 1) at t = 1,
 * w_{t+1} = (2, 2) at t = 2. Run on both barrier primitives of the Team.
 */
public class IteratePublicationTest {
    /** Shared by both variants: the server's iterate. */
    abstract static class Iterate {
        double w0 = 1, w1 = 1;
        int t = 1;

        void publish(TwoParties b) {
            w0 = 2;
            w1 = 2;
            t = 2;
            b.await();                       // start barrier of the region
        }

        void read(TwoParties b, III_Result r) {
            b.await();
            r.r1 = (int) w0;
            r.r2 = (int) w1;
            r.r3 = t;
        }
    }

    @JCStressTest
    @Outcome(id = "2, 2, 2", expect = ACCEPTABLE, desc = "the worker computes on the published iterate w_{t+1}")
    @Outcome(id = "1, 1, 1", expect = FORBIDDEN, desc = "the previous iterate w_t after the barrier")
    @Outcome(expect = FORBIDDEN, desc = "a mix of w_t and w_{t+1} after the barrier")
    @State
    public static class Spin extends Iterate {
        final TwoParties b = TwoParties.spin();
        @Actor public void server() { publish(b); }
        @Actor public void worker(III_Result r) { read(b, r); }
    }

    @JCStressTest
    @Outcome(id = "2, 2, 2", expect = ACCEPTABLE, desc = "the worker computes on the published iterate w_{t+1}")
    @Outcome(id = "1, 1, 1", expect = FORBIDDEN, desc = "the previous iterate w_t after the barrier")
    @Outcome(expect = FORBIDDEN, desc = "a mix of w_t and w_{t+1} after the barrier")
    @State
    public static class OnPhaser extends Iterate {
        final TwoParties b = TwoParties.phaser();
        @Actor public void server() { publish(b); }
        @Actor public void worker(III_Result r) { read(b, r); }
    }
}
