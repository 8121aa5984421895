package dev.warthog.jcstress.trace;

import dev.warthog.trace.ProgressCounter;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.JJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The solver-to-observer protocol of {@link ProgressCounter}: the solver writes its state,
 * then publishes the epoch with a release store; an observer that acquires epoch k sees the
 * state written before it, and successive reads never go back.
 */
public final class ProgressCounterTest {
    private ProgressCounterTest() {}

    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "observer ran before the publication")
    @Outcome(id = "0, 42", expect = ACCEPTABLE, desc = "state seen early, epoch not yet: allowed")
    @Outcome(id = "1, 42", expect = ACCEPTABLE, desc = "epoch and the state written before it")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "stale state after acquiring the epoch")
    @State
    public static class PublishesState {
        final ProgressCounter counter = new ProgressCounter();
        int state;

        @Actor public void solver() {
            state = 42;
            counter.setRelease(1);
        }

        @Actor public void observer(II_Result r) {
            r.r1 = (int) counter.getAcquire();
            r.r2 = state;
        }
    }

    @JCStressTest
    @Outcome(id = {"0, 0", "0, 1", "0, 2", "1, 1", "1, 2", "2, 2"}, expect = ACCEPTABLE, desc = "monotone reads")
    @Outcome(id = {"1, 0", "2, 0", "2, 1"}, expect = FORBIDDEN, desc = "a later read went back")
    @State
    public static class NeverGoesBack {
        final ProgressCounter counter = new ProgressCounter();

        @Actor public void solver() {
            counter.setRelease(1);
            counter.setRelease(2);
        }

        @Actor public void observer(JJ_Result r) {
            r.r1 = counter.getAcquire();
            r.r2 = counter.getAcquire();
        }
    }
}
