package dev.warthog.jcstress.engine;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import java.util.concurrent.Phaser;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The engine's barrier protocol (dev.warthog.engine.Engine) on the real {@link Phaser}: the
 * coordinator writes the epoch snapshot and the stop flag with plain stores, then arrives
 * at barrier B; a worker that has seen the phase advance reads both and must see them. A
 * stale snapshot or a missed stop after the barrier is forbidden.
 */
@JCStressTest
@Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "worker looked before the barrier opened")
@Outcome(id = {"0, 0, 7", "0, 1, 0", "0, 1, 7"}, expect = ACCEPTABLE, desc = "before the barrier: anything may show")
@Outcome(id = "1, 1, 7", expect = ACCEPTABLE, desc = "after the barrier: stop and snapshot seen")
@Outcome(id = {"1, 0, 7", "1, 1, 0", "1, 0, 0"}, expect = FORBIDDEN, desc = "stale stop flag or snapshot after the barrier")
@State
public class BarrierPublicationTest {
    final Phaser barrier = new Phaser(1);
    boolean stop;
    int snapshotEpoch;

    @Actor public void coordinator() {
        snapshotEpoch = 7;
        stop = true;
        barrier.arrive();   // the last party: the phase advances
    }

    @Actor public void worker(III_Result r) {
        r.r1 = barrier.getPhase();
        r.r2 = stop ? 1 : 0;
        r.r3 = snapshotEpoch;
    }
}
