package dev.warthog.engine;

import java.util.SplittableRandom;

/**
 * Per-worker random streams split deterministically from one seed: worker i's stream
 * depends only on (seed, i), never on the thread count or timing. Worker 0's stream is
 * {@code new SplittableRandom(seed)}, the serial solvers' stream, so a one-thread run of a
 * parallel algorithm replays its serial twin exactly.
 */
public final class Seeds {
    private Seeds() {}

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    public static SplittableRandom forWorker(long seed, int worker) {
        return new SplittableRandom(seed + worker * GOLDEN);
    }
}
