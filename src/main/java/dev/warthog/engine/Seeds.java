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

    /** Salt of the root that the other workers' streams are split from. */
    private static final long SALT = 0x5851F42D4C957F2DL;

    /**
     * Worker 0: {@code new SplittableRandom(seed)}; worker i > 0: the i-th {@link
     * SplittableRandom#split() split} of a root seeded with {@code seed ^ SALT}. (Seeding
     * worker i with {@code seed + i * gamma} would be wrong: gamma is SplittableRandom's own
     * increment, so worker i would replay worker 0's stream shifted by i draws.)
     */
    public static SplittableRandom forWorker(long seed, int worker) {
        if (worker == 0) return new SplittableRandom(seed);
        SplittableRandom root = new SplittableRandom(seed ^ SALT), s = null;
        for (int k = 0; k < worker; k++) s = root.split();
        return s;
    }
}
