package dev.warthog.jcstress.sync;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The end of a {@code Team} region: a worker writes its local gradient (three plain
 * doubles: a block's partial sum) and crosses the end barrier; the server, past the same
 * barrier, aggregates it and must see the whole gradient. A partial gradient (some
 * coordinates still the previous iteration's 0) is forbidden. Run on both barrier
 * primitives of the Team.
 */
public class PartialGradientTest {
    abstract static class Gradient {
        double g0, g1, g2;

        void write(TwoParties b) {
            g0 = 3;
            g1 = 5;
            g2 = 7;
            b.await();                       // end barrier of the region
        }

        void aggregate(TwoParties b, III_Result r) {
            b.await();
            r.r1 = (int) g0;
            r.r2 = (int) g1;
            r.r3 = (int) g2;
        }
    }

    @JCStressTest
    @Outcome(id = "3, 5, 7", expect = ACCEPTABLE, desc = "the server aggregates the whole local gradient")
    @Outcome(expect = FORBIDDEN, desc = "a partial local gradient after the barrier")
    @State
    public static class Spin extends Gradient {
        final TwoParties b = TwoParties.spin();
        @Actor public void worker() { write(b); }
        @Actor public void server(III_Result r) { aggregate(b, r); }
    }

    @JCStressTest
    @Outcome(id = "3, 5, 7", expect = ACCEPTABLE, desc = "the server aggregates the whole local gradient")
    @Outcome(expect = FORBIDDEN, desc = "a partial local gradient after the barrier")
    @State
    public static class OnPhaser extends Gradient {
        final TwoParties b = TwoParties.phaser();
        @Actor public void worker() { write(b); }
        @Actor public void server(III_Result r) { aggregate(b, r); }
    }
}
