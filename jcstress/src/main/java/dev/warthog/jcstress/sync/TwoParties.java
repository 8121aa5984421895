package dev.warthog.jcstress.sync;

import dev.warthog.engine.SpinBarrier;

import java.util.concurrent.Phaser;

/**
 * The two barrier primitives of {@code dev.warthog.engine.Team} for two parties, behind one
 * call, so each protocol test runs once on {@link SpinBarrier} and once on {@link Phaser}.
 * A broken barrier must not happen in these tests: it fails loudly.
 */
interface TwoParties {
    void await();

    static TwoParties spin() {
        SpinBarrier b = new SpinBarrier(2);
        return () -> { if (!b.await()) throw new IllegalStateException("spin barrier broken"); };
    }

    static TwoParties phaser() {
        Phaser p = new Phaser(2);
        return () -> { if (p.arriveAndAwaitAdvance() < 0) throw new IllegalStateException("phaser terminated"); };
    }
}
