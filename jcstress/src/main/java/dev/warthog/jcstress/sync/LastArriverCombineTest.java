package dev.warthog.jcstress.sync;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import java.util.concurrent.atomic.AtomicInteger;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The combine of {@code ParallelGradient} for small d: each of two workers writes its
 * partial sum (two plain doubles) and increments a shared counter; the worker whose
 * increment returns 2 adds the other's partial into the combined sum without any barrier.
 * It must see both of the other's coordinates: the increment (a volatile read-modify-write)
 * orders the first worker's plain writes before the last worker's reads. Exactly one worker
 * combines. r1 = the combined sum of coordinate 0, r2 = of coordinate 1; each worker adds
 * 1 + its id, so the whole sum is 3 in both.
 */
@JCStressTest
@Outcome(id = "3, 3", expect = ACCEPTABLE, desc = "the last worker combined both whole partials")
@Outcome(expect = FORBIDDEN, desc = "a partial seen half-written, or nobody / both combined")
@State
public class LastArriverCombineTest {
    final double[] part0 = new double[2], part1 = new double[2];
    final AtomicInteger arrivals = new AtomicInteger();
    double c0 = -1, c1 = -1;   // written by the combining worker only
    volatile int combined;     // how many combined (read after both actors finished)

    void finish(double[] mine, double v) {
        mine[0] = v;
        mine[1] = v;
        if (arrivals.incrementAndGet() == 2) {
            c0 = part0[0] + part1[0];
            c1 = part0[1] + part1[1];
            combined++;
        }
    }

    @Actor public void worker0() { finish(part0, 1); }
    @Actor public void worker1() { finish(part1, 2); }

    @org.openjdk.jcstress.annotations.Arbiter
    public void arbiter(II_Result r) {
        r.r1 = combined == 1 ? (int) c0 : -1;
        r.r2 = combined == 1 ? (int) c1 : -1;
    }
}
