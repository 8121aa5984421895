package dev.warthog.jcstress.shared;

import dev.warthog.shared.PaddedCounters;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The staleness counters of the parallel solvers: each worker increments only its own
 * counter (plain read, opaque store), another worker sums the others' counters with opaque
 * loads before and after its update. Its two reads never go back (opaque coherence) and never
 * see a value the owner did not store.
 */
@JCStressTest
@Outcome(id = {"0, 0", "0, 1", "0, 2", "1, 1", "1, 2", "2, 2"}, expect = ACCEPTABLE, desc = "monotone reads of stored values")
@Outcome(id = {"1, 0", "2, 0", "2, 1"}, expect = FORBIDDEN, desc = "a later read went back")
@Outcome(expect = FORBIDDEN, desc = "a value the owner never stored")
@State
public class PaddedCountersTest {
    final PaddedCounters counters = new PaddedCounters(2);

    @Actor public void owner() {
        counters.incrementOwnOpaque(0);
        counters.incrementOwnOpaque(0);
    }

    @Actor public void other(JJ_Result r) {
        r.r1 = counters.sumOthersOpaque(1);
        r.r2 = counters.sumOthersOpaque(1);
    }
}
