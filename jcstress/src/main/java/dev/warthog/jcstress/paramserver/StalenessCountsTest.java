package dev.warthog.jcstress.paramserver;

import dev.warthog.shared.PaddedCounters;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;

import java.util.concurrent.locks.ReentrantLock;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The bounded-staleness counts of the asynchronous parameter server ({@code paramserver.AsyncSgd}):
 * a worker publishes its applied-update count with a release store inside the server lock,
 * after its update, and {@code Long.MAX_VALUE} when it leaves (so it drops out of the minimum);
 * another worker reads the counts with acquire loads, outside the lock, to decide whether it
 * is too far ahead ({@code PaddedCounters.incrementOwnRelease}, {@code setOwnRelease} and
 * {@code minAcquire}, the methods AsyncSgd calls). A read may be stale (that only makes the
 * reader wait longer), but two reads never go back and never see a value that was not stored,
 * and a count read as k comes with the k updates of w it counts (release/acquire: an opaque
 * store would allow a count ahead of its update).
 * r1, r2: the two counts read (MAX = the worker left, after both updates); r3: how many of the
 * two updates the reader then sees in w.
 */
@JCStressTest
@Outcome(id = {"0, 0, 0", "0, 0, 1", "0, 0, 2", "0, 1, 1", "0, 1, 2", "0, 2, 2", "0, 9223372036854775807, 2",
        "1, 1, 1", "1, 1, 2", "1, 2, 2", "1, 9223372036854775807, 2", "2, 2, 2", "2, 9223372036854775807, 2",
        "9223372036854775807, 9223372036854775807, 2"},
        expect = ACCEPTABLE, desc = "monotone reads of published counts (stale is allowed), each with the updates it counts")
@Outcome(expect = FORBIDDEN, desc = "a later read went back, a value never published (torn), or a count ahead of its update")
@State
public class StalenessCountsTest {
    final PaddedCounters counts = new PaddedCounters(1);   // the worker's applied count, as in AsyncSgd
    final ReentrantLock lock = new ReentrantLock();
    final double[] w = new double[4];

    private void apply() {
        lock.lock();
        try {
            for (int j = 0; j < w.length; j++) w[j] -= 0.5;   // the server's update
            counts.incrementOwnRelease(0);
        } finally {
            lock.unlock();
        }
    }

    @Actor public void worker() {
        apply();
        apply();
        counts.setOwnRelease(0, Long.MAX_VALUE);   // finished: leaves the minimum
    }

    @Actor public void other(JJJ_Result r) {
        r.r1 = counts.minAcquire();
        r.r2 = counts.minAcquire();
        r.r3 = Math.round(-w[w.length - 1] / 0.5);   // the last coordinate: written last by each update
    }
}
